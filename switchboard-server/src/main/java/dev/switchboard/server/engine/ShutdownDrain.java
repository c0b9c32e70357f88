package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stopping node's connections a slice at a time over {@code shutdown_drain_seconds}. Closed all at once,
 * every client of the node reconnects in the same second, and the other nodes of the cluster (and each app's
 * auth endpoint, which signs every sign-in and presence join again) take that as a wall; spread, they take a
 * ramp. A slice goes out every {@link #TICK_MILLIS}: {@code ceil(n / ticks)} sockets, at least one, so a node
 * holding fewer sockets than the window has ticks finishes sooner (a handful of reconnects is no wall), and
 * tests that stop a node with a few clients do not wait out the window.
 *
 * <p>Runs on the thread that stops the node; {@link Peer#close} hands each close to the socket's own loop.
 */
public final class ShutdownDrain {
    /** Often enough that a slice is a small burst, rarely enough that the pacing thread costs nothing. */
    static final long TICK_MILLIS = 10;

    private ShutdownDrain() {}

    /**
     * Closes every peer with {@code code} over {@code windowMillis}, the first slice at once; returns after the last
     * slice (about {@code windowMillis} later, sooner with few peers). Shuffled first, so that every app's clients
     * come back as a ramp, not one app after the other.
     */
    public static int closeSpread(List<Peer> peers, CloseCode code, String message, long windowMillis)
            throws InterruptedException {
        List<Peer> order = new ArrayList<>(peers);
        Collections.shuffle(order);
        int n = order.size();
        long ticks = Math.max(1, windowMillis / TICK_MILLIS);
        int perTick = (int) Math.max(1, (n + ticks - 1) / ticks);
        long start = System.nanoTime();
        int closed = 0;
        for (long tick = 0; closed < n; tick++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(tick * TICK_MILLIS);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int end = Math.min(n, closed + perTick);
            for (; closed < end; closed++) {
                order.get(closed).close(code, message);
            }
        }
        return n;
    }
}
