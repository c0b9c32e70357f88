package dev.switchboard.server.cluster.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether this node is still a member the cluster counts, shared by {@link NodeLeases} (which learns it from the
 * heartbeat) and {@link RedisBroker} (which must not hand its clients what the cluster published about a node it
 * declared dead).
 *
 * <p>A node is <em>fenced</em> from the heartbeat that tells it the cluster declared it dead (its lease expired
 * while it was cut off, or it resigned because it may have missed messages) until it has rejoined as a fresh
 * member: meanwhile nothing received through pub/sub is delivered, new connections wait at the {@link #gate()},
 * and its old connections are closed so that their clients rejoin through the normal path.
 *
 * <p>Outside a fence, a message received is delivered only while the node's lease is surely held: no other node
 * can have declared it dead before {@code sent + node timeout}, {@code sent} being when the last heartbeat that
 * renewed the lease was sent, so whatever arrives before that is not about its death. What arrives later (a
 * link that delivers but cannot send, the backlog of a link that froze) is held until the next heartbeat says
 * whether the lease held (then it is delivered, in order) or not (then it is dropped with the fence).
 */
final class NodeFence {
    enum Admission { DELIVER, HOLD, DROP }

    private final long windowNanos;
    private volatile long safeUntilNanos;
    /** Until the node's leases start there is no lease to doubt (a broker used alone delivers everything). */
    private volatile boolean armed;
    private volatile boolean fenced;
    private volatile boolean resign;
    private volatile String resignReason;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private volatile Runnable onRenewed = () -> { };
    private volatile Runnable onFenced = () -> { };

    /** A margin of a tenth of the lease covers scheduling and the two clocks' rates. */
    NodeFence(int nodeTimeoutMillis) {
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(nodeTimeoutMillis - nodeTimeoutMillis / 10L);
    }

    /** The broker's hooks: deliver what it held (the lease was renewed), drop it (fenced). */
    void listen(Runnable renewed, Runnable dropped) {
        this.onRenewed = renewed;
        this.onFenced = dropped;
    }

    /** The heartbeats start: from now on a message is delivered only under a lease. */
    void arm() {
        safeUntilNanos = System.nanoTime() - 1;
        armed = true;
    }

    Admission admission() {
        if (fenced) {
            return Admission.DROP;
        }
        if (!armed) {
            return Admission.DELIVER;
        }
        return System.nanoTime() - safeUntilNanos < 0 ? Admission.DELIVER : Admission.HOLD;
    }

    /** A heartbeat sent at {@code sentNanos} renewed the lease. */
    void renewed(long sentNanos) {
        safeUntilNanos = sentNanos + windowNanos;
        onRenewed.run();
    }

    /** The cluster declared this node dead: close the gate, drop what was held. */
    void enter() {
        resign = false;
        if (!fenced) {
            gate = new CompletableFuture<>();
            fenced = true;
        }
        onFenced.run();
    }

    /** Rejoined as a fresh member with the lease of a heartbeat sent at {@code sentNanos}: open the gate. */
    void rejoined(long sentNanos) {
        resign = false; // what the node missed while fenced is what the fence already made good
        fenced = false;
        renewed(sentNanos);
        gate.complete(null);
    }

    boolean fenced() {
        return fenced;
    }

    /** Completes once this node is not fenced (at once when it is not). */
    CompletableFuture<Void> gate() {
        return gate;
    }

    /** This node may have missed messages: at its next heartbeat it declares itself dead and rejoins. */
    void requestResign(String why) {
        if (fenced) {
            return;
        }
        resignReason = why;
        resign = true;
    }

    boolean resignRequested() {
        return resign;
    }

    String resignReason() {
        return resignReason;
    }
}
