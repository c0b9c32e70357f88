package dev.switchboard.server.engine;

import java.util.function.LongSupplier;

/** At most N client events per one-second window per connection (PROTOCOL.md §4 rule 6). Single-threaded. */
final class ClientEventLimiter {
    private final int perSecond;
    private final LongSupplier clock;
    private long windowStart;
    private int used;

    ClientEventLimiter(int perSecond, LongSupplier clock) {
        this.perSecond = perSecond;
        this.clock = clock;
    }

    boolean tryAcquire() {
        if (perSecond < 0) {
            return true;
        }
        long now = clock.getAsLong();
        if (now - windowStart >= 1000) {
            windowStart = now;
            used = 0;
        }
        if (used >= perSecond) {
            return false;
        }
        used++;
        return true;
    }
}
