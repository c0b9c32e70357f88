package dev.switchboard.server.edge;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The liveness check (PROTOCOL.md §1.3) for every upgraded socket of one event loop: one periodic task walks
 * the loop's sockets and pings those silent for {@code activityTimeout}, then closes with 4201 those that
 * stay silent for {@code pongTimeout} after the ping. It replaces an {@code IdleStateHandler} and a scheduled
 * task per socket (a handler, a pipeline context, a timer entry and two closures each: about 280 bytes per
 * idle socket) with two longs on the frame handler and one slot here.
 *
 * <p>Timing: a ping goes out between {@code activityTimeout} and {@code activityTimeout + tick} of silence,
 * the 4201 between {@code pongTimeout} and {@code pongTimeout + tick} after the ping; the tick is a tenth of
 * the shorter timeout, between 50 ms and 1 s. Touched only on its event loop, so nothing is locked.
 */
final class LivenessSweep {
    private final EventLoop loop;
    private final long activityNanos;
    private final long pongNanos;
    private final long tickNanos;
    private WebSocketFrameHandler[] sockets = new WebSocketFrameHandler[16];
    private int size;
    private boolean scheduled;

    LivenessSweep(EventLoop loop, long activityMillis, long pongMillis) {
        this.loop = loop;
        this.activityNanos = TimeUnit.MILLISECONDS.toNanos(activityMillis);
        this.pongNanos = TimeUnit.MILLISECONDS.toNanos(pongMillis);
        long tick = Math.min(activityMillis, pongMillis) / 10;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(50, Math.min(1000, tick)));
    }

    /** Starts watching the socket; on the event loop. */
    void add(WebSocketFrameHandler h) {
        if (size == sockets.length) {
            sockets = Arrays.copyOf(sockets, size * 2);
        }
        h.sweepIndex = size;
        sockets[size++] = h;
        if (!scheduled) {
            scheduled = true;
            loop.scheduleAtFixedRate(this::sweep, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops watching the socket (it closed); on the event loop. Swap-remove: O(1). */
    void remove(WebSocketFrameHandler h) {
        int i = h.sweepIndex;
        if (i < 0 || i >= size || sockets[i] != h) {
            return;
        }
        WebSocketFrameHandler last = sockets[--size];
        sockets[i] = last;
        last.sweepIndex = i;
        sockets[size] = null;
        h.sweepIndex = -1;
        if (sockets.length > 64 && size < sockets.length / 4) {
            sockets = Arrays.copyOf(sockets, sockets.length / 2);
        }
    }

    int size() {
        return size;
    }

    private void sweep() {
        long now = System.nanoTime();
        // Walk backwards: a socket closed synchronously by check() is swap-removed from a slot already visited.
        for (int i = size - 1; i >= 0; i--) {
            if (i < size) {
                sockets[i].check(now, activityNanos, pongNanos);
            }
        }
    }
}
