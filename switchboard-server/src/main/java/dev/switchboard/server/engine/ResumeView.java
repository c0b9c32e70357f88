package dev.switchboard.server.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's place in one channel that keeps a window (channel resume): the last sequence written to it, and,
 * while a replay is on its way, the live events held back so that none goes out ahead of an older replayed one.
 * Touched only on the connection's loop.
 */
final class ResumeView {
    enum Offer { WRITE, HELD, DROP, OVERFLOW }

    private final int maxHeld;
    /** The user whose place this connection counts in the state ({@link ChannelWindows#hold}); null: none. */
    private String user;
    /** The last sequence written to the socket, or the channel's head when it subscribed and nothing came since. */
    private long last;
    /** The first sequence written live, so a replay at sign-in skips what the socket already has. */
    private long firstLive = Long.MAX_VALUE;
    /** Live events at or below it were written by a replay: dropped. */
    private long floor;
    /** Non-null while a replay is on its way. */
    private List<Frame> held;

    ResumeView(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    String user() {
        return user;
    }

    void user(String userId) {
        this.user = userId;
    }

    void startHolding() {
        if (held == null) {
            held = new ArrayList<>();
        }
    }

    boolean holding() {
        return held != null;
    }

    Offer offer(Frame frame) {
        long seq = frame.sequence();
        if (held != null) {
            if (held.size() >= maxHeld) {
                return Offer.OVERFLOW;
            }
            held.add(frame);
            return Offer.HELD;
        }
        if (seq <= floor) {
            return Offer.DROP;
        }
        written(seq);
        firstLive = Math.min(firstLive, seq);
        return Offer.WRITE;
    }

    /** The channel's head as the connection counted itself in: its place while no event came. */
    void countedAt(long head) {
        last = Math.max(last, head);
    }

    /** Whether a kept event after the noted place is still missing here (not written live since it subscribed). */
    boolean missing(long seq) {
        return seq < firstLive || seq > last;
    }

    void written(long seq) {
        last = Math.max(last, seq);
    }

    /** The replay is written up to {@code replayedUpTo}: the held events after it, in the order they came. */
    List<Frame> release(long replayedUpTo) {
        floor = Math.max(floor, replayedUpTo);
        List<Frame> out = new ArrayList<>();
        for (Frame f : held) {
            if (f.sequence() > floor) {
                out.add(f);
                written(f.sequence());
                firstLive = Math.min(firstLive, f.sequence());
            }
        }
        held = null;
        return out;
    }

    long position() {
        return last;
    }
}
