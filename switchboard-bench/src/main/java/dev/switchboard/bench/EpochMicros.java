package dev.switchboard.bench;

import java.time.Instant;

/**
 * Wall-clock microseconds, read cheaply: the epoch is sampled once at start-up and advanced by
 * {@link System#nanoTime()}. Publisher and subscribers may live in different processes on the same
 * host, so the timestamp in the payload has to be an epoch value, not a per-process nanoTime; the
 * calibration error between two processes is the resolution of {@link Instant#now()} (1 µs on Linux).
 */
final class EpochMicros {
    private static final long BASE_NANOS = System.nanoTime();
    private static final long BASE_MICROS;

    static {
        Instant now = Instant.now();
        BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private EpochMicros() {}

    static long now() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
    }
}
