package dev.switchboard.server.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's place in one presence channel's membership order (docs/cluster.md, "Presence: one membership
 * order per channel"). The join that gave the connection its roster also gave the roster's position; a member_added
 * or member_removed at or below it is already in the roster and is dropped, one above it is news. Events that reach
 * the connection before its roster was sent are held and follow the roster, so a client never sees a membership
 * event before its subscription_succeeded. Touched only on the connection's event loop.
 */
final class PresenceView {
    private static final long PENDING = -1;
    /** Most events held before the roster when the app sets no member limit. */
    private static final int UNLIMITED_MEMBERS_HOLD = 1000;

    private final int maxHeld;
    private long rosterPosition = PENDING;
    /** Events that came before the roster, in arrival order; null while none did. */
    private List<Frame> held;

    PresenceView(int maxPresenceMembers) {
        this.maxHeld = holdLimit(maxPresenceMembers);
    }

    /**
     * How many events a joining connection holds before its roster: every member leaving and as many joining while
     * the join's answer is on its way, and some. Past it the connection is closed with 4200 and rejoins (docs/limits.md).
     */
    static int holdLimit(int maxPresenceMembers) {
        return maxPresenceMembers < 0 ? UNLIMITED_MEMBERS_HOLD : 2 * maxPresenceMembers + 64;
    }

    boolean pending() {
        return rosterPosition == PENDING;
    }

    /** Holds an event that came before the roster; false when the bound is reached (nothing is held then). */
    boolean hold(Frame frame) {
        if (held == null) {
            held = new ArrayList<>(4);
        }
        if (held.size() >= maxHeld) {
            return false;
        }
        held.add(frame);
        return true;
    }

    /** Whether the event is not in the roster already: one integer compare per delivery. */
    boolean isNews(Frame frame) {
        long p = frame.position();
        return p == Frame.UNORDERED || p > rosterPosition;
    }

    /** The roster at {@code position} was just sent: what came before it and is news follows it now, in order. */
    void rosterSent(long position, Peer peer) {
        rosterPosition = Math.max(Frame.UNORDERED, position);
        List<Frame> early = held;
        held = null;
        if (early == null) {
            return;
        }
        boolean wrote = false;
        for (Frame f : early) {
            if (isNews(f)) {
                peer.write(f);
                wrote = true;
            }
        }
        if (wrote) {
            peer.flush();
        }
    }
}
