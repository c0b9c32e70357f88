package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.config.ServerConfig;

/**
 * Bounds what one client can make a connection hold in state changes (subscribe, unsubscribe, sign-in). On a
 * cluster node each change waits for a Redis round trip, and without a bound a client pipelining changes grows the
 * queue faster than Redis drains it: TCP back-pressure never reaches the client, memory does. So:
 * <ul>
 *   <li>above {@code pending_changes_high_water_mark} waiting changes the peer stops reading the socket, and reads
 *       again at half: the client's sends then block in its own TCP buffers, as on one node, where changes are
 *       complete at once and never wait;</li>
 *   <li>what was already read when reading stopped (at most one receive buffer) still queues, up to
 *       {@code max_pending_changes}; a frame past that is refused with a shared {@code pusher:error} 4301 before it
 *       is decoded;</li>
 *   <li>subscribe and unsubscribe are a token bucket of {@code max_subscription_changes_per_second}, holding that
 *       plus the app's {@code max_channels_per_connection}, so pusher-js resubscribing every channel at once after
 *       a reconnect always fits.</li>
 * </ul>
 * One per connection, made at its first change; touched only on the connection's executor.
 */
final class ChangeGate {
    /** The node's settings; one instance per engine. */
    record Budget(int highWaterMark, int maxPending, int changesPerSecond) {
        static Budget of(ServerConfig c) {
            return new Budget(c.pendingChangesHighWaterMark(), c.maxPendingChanges(), c.maxSubscriptionChangesPerSecond());
        }

        /** Reading resumes at half the high mark. */
        int lowWaterMark() {
            return highWaterMark / 2;
        }
    }

    /** The same bytes for every refusal: a flood past the bound costs no allocation per frame. */
    static final Frame TOO_MANY_PENDING = Frame.of(new ServerMessage.Error(CloseCode.CLIENT_EVENT_REJECTED.code(),
            "Too many changes waiting on this connection; frame refused (max_pending_changes)"));

    private final Budget budget;
    private int pending;
    private boolean paused;
    private double tokens;
    private long refilledMillis;

    /** For a connection of an app that allows {@code maxChannels} channels per connection, made at {@code nowMillis}. */
    static ChangeGate of(Budget budget, int maxChannels, long nowMillis) {
        return new ChangeGate(budget, burst(budget.changesPerSecond(), maxChannels), nowMillis);
    }

    ChangeGate(Budget budget, int burst, long nowMillis) {
        this.budget = budget;
        this.tokens = burst;
        this.refilledMillis = nowMillis;
    }

    /** Whether a frame must be refused unread: the connection already holds the most changes it may. */
    boolean full() {
        return pending >= budget.maxPending();
    }

    int pending() {
        return pending;
    }

    /** A change is queued; stops reading the peer above the high mark. */
    void queued(Peer peer) {
        pending++;
        if (!paused && pending > budget.highWaterMark()) {
            paused = true;
            peer.pauseReads(true);
        }
    }

    /** A change is complete; reads again at the low mark. */
    void done(Peer peer) {
        pending--;
        if (paused && pending <= budget.lowWaterMark()) {
            paused = false;
            peer.pauseReads(false);
        }
    }

    /**
     * Takes one subscribe/unsubscribe from the bucket; false when the rate is spent. {@code burst} is the bucket's
     * size: the rate plus the app's channel limit, read each time since the app's settings may change.
     */
    boolean tryChange(long nowMillis, int burst) {
        int rate = budget.changesPerSecond();
        if (rate <= 0) {
            return true;
        }
        long elapsed = nowMillis - refilledMillis;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * rate / 1000.0);
            refilledMillis = nowMillis;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** The bucket's size for an app that allows {@code maxChannels} channels per connection (-1: no limit). */
    static int burst(int rate, int maxChannels) {
        return rate + Math.max(0, maxChannels);
    }
}
