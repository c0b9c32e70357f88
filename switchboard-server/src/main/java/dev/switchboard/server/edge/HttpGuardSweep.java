package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of {@link HttpGuard} for every connection of one event loop that is not yet upgraded: one periodic
 * task walks them twice a second instead of a timer per connection (set at accept and cancelled at the upgrade:
 * work on every WebSocket's way in). A deadline is therefore met within half a second of its time. Touched only on
 * its event loop.
 */
final class HttpGuardSweep {
    static final long TICK_MILLIS = 500;

    /** The settings, in nanoseconds. */
    record Deadlines(long headNanos, long bodyNanos, long bodyMinBytesPerSecond, long idleNanos) {
        static Deadlines of(ServerConfig c) {
            return new Deadlines(TimeUnit.SECONDS.toNanos(c.httpHeadTimeoutSeconds()),
                    TimeUnit.SECONDS.toNanos(c.httpBodyTimeoutSeconds()), c.httpBodyMinBytesPerSecond(),
                    TimeUnit.SECONDS.toNanos(c.httpIdleTimeoutSeconds()));
        }
    }

    private final EventLoop loop;
    private final Deadlines deadlines;
    private HttpGuard[] guards = new HttpGuard[16];
    private int size;
    private boolean scheduled;

    HttpGuardSweep(EventLoop loop, Deadlines deadlines) {
        this.loop = loop;
        this.deadlines = deadlines;
    }

    void add(HttpGuard g) {
        if (size == guards.length) {
            guards = Arrays.copyOf(guards, size * 2);
        }
        g.sweepIndex = size;
        guards[size++] = g;
        if (!scheduled) {
            scheduled = true;
            loop.scheduleAtFixedRate(this::sweep, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Swap-remove: O(1). */
    void remove(HttpGuard g) {
        int i = g.sweepIndex;
        if (i < 0 || i >= size || guards[i] != g) {
            return;
        }
        HttpGuard last = guards[--size];
        guards[i] = last;
        last.sweepIndex = i;
        guards[size] = null;
        g.sweepIndex = -1;
        if (guards.length > 64 && size < guards.length / 4) {
            guards = Arrays.copyOf(guards, guards.length / 2);
        }
    }

    int size() {
        return size;
    }

    private void sweep() {
        long now = System.nanoTime();
        // Backwards: a guard that closes removes itself, swapping in one already visited.
        for (int i = size - 1; i >= 0; i--) {
            if (i < size) {
                guards[i].check(now, deadlines);
            }
        }
    }
}
