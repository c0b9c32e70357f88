package dev.switchboard.server.edge;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The sockets of one event loop that a periodic check must visit, and that check: one task per loop walks them
 * every tick instead of a timer per socket (set when the socket opens and cancelled when it closes or upgrades:
 * work and about 280 bytes per socket). A member keeps its own slot index, so leaving is an O(1) swap-remove. Both
 * the liveness pings of upgraded sockets and the deadlines of connections not yet upgraded are such a walk
 * ({@link LoopSweeps}). Touched only on its event loop, so nothing is locked.
 *
 * @param <T> what is visited
 */
final class LoopSweep<T extends LoopSweep.Member> {

    /** A socket in a sweep: its slot, -1 when in none. */
    interface Member {
        int sweepIndex();

        void sweepIndex(int index);
    }

    /** The check of one member, with the sweep's clock; it may close the member, which then leaves the sweep. */
    @FunctionalInterface
    interface Check<T> {
        void check(T member, long nowNanos);
    }

    private final EventLoop loop;
    private final long tickNanos;
    private final Check<T> check;
    private Object[] members = new Object[16];
    private int size;
    private boolean scheduled;

    LoopSweep(EventLoop loop, long tickNanos, Check<T> check) {
        this.loop = loop;
        this.tickNanos = tickNanos;
        this.check = check;
    }

    /** Starts visiting the member; on the event loop. The task is scheduled with the first member. */
    void add(T m) {
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        m.sweepIndex(size);
        members[size++] = m;
        if (!scheduled) {
            scheduled = true;
            loop.scheduleAtFixedRate(this::sweep, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops visiting the member (it closed or upgraded); on the event loop. Swap-remove: O(1). */
    void remove(T m) {
        int i = m.sweepIndex();
        if (i < 0 || i >= size || members[i] != m) {
            return;
        }
        @SuppressWarnings("unchecked")
        T last = (T) members[--size];
        members[i] = last;
        last.sweepIndex(i);
        members[size] = null;
        m.sweepIndex(-1);
        if (members.length > 64 && size < members.length / 4) {
            members = Arrays.copyOf(members, members.length / 2);
        }
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private void sweep() {
        long now = System.nanoTime();
        // Backwards: a member closed synchronously by its check is swap-removed from a slot already visited.
        for (int i = size - 1; i >= 0; i--) {
            if (i < size) {
                check.check((T) members[i], now);
            }
        }
    }
}
