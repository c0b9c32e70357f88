package dev.switchboard.server.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per key (a client address). A bucket that has refilled completely is forgotten by
 * {@link #sweep}, so the map holds only the keys seen in about the last second: an attacker rotating
 * addresses grows it by what it can open in that second, not without bound.
 */
public final class KeyedRateLimiter {
    private final int ratePerSecond;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public KeyedRateLimiter(int ratePerSecond, LongSupplier nanoClock) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.clock = nanoClock;
    }

    public int ratePerSecond() {
        return ratePerSecond;
    }

    /** 0 when {@code key} may go ahead, else the nanoseconds until it may. */
    public long tryAcquire(String key) {
        long now = clock.getAsLong();
        return buckets.computeIfAbsent(key, k -> new TokenBucket(ratePerSecond, now)).tryAcquire(now);
    }

    /** Drops the buckets that are full again; call about once a second. */
    public void sweep() {
        long now = clock.getAsLong();
        buckets.values().removeIf(b -> b.full(now));
    }

    /** Keys currently tracked. */
    public int size() {
        return buckets.size();
    }
}
