package dev.switchboard.server.limits;

/**
 * {@code ratePerSecond} permits a second, refilled continuously, holding at most one second's worth: a client
 * that was quiet may burst to the rate, never above it. Thread-safe; the lock is held for a few arithmetic
 * operations and never across I/O.
 */
public final class TokenBucket {
    private static final long SECOND = 1_000_000_000L;

    private final int ratePerSecond;
    private final double nanosPerToken;
    private double tokens;
    private long lastNanos;

    public TokenBucket(int ratePerSecond, long nowNanos) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.nanosPerToken = (double) SECOND / ratePerSecond;
        this.tokens = ratePerSecond;
        this.lastNanos = nowNanos;
    }

    public int ratePerSecond() {
        return ratePerSecond;
    }

    /** Takes one permit: 0 when granted, else how many nanoseconds until one is available. */
    public synchronized long tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
    }

    /** Whether the bucket has refilled completely, so forgetting it changes nothing. */
    synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= ratePerSecond;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(ratePerSecond, tokens + elapsed / nanosPerToken);
            lastNanos = nowNanos;
        }
    }

    /** Whole seconds a refused caller should wait (HTTP {@code Retry-After}); at least 1. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + SECOND - 1) / SECOND);
    }
}
