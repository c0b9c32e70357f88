package dev.switchboard.server.cluster.redis;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Presence joins and leaves that Redis could not decide, held in arrival order until it can (Redis Cluster only).
 *
 * <p>Why: a node that decides a presence change alone tells only its own clients, and its write-back afterwards is
 * silent. During a failover of the shard a presence channel lives on, that made a client who subscribed meanwhile
 * hold a roster of this node's members only, and made the other nodes never hear of it, for good. Held instead,
 * the change touches neither the mirror nor Redis until the node has written its share back; then it is decided by
 * the channel's script as usual, so the roster is the cluster's and member_added / member_removed reach every node,
 * once. A failover takes about two {@code cluster-node-timeout}s; past {@code redis_presence_hold_millis} (a Redis
 * that stays away) the held changes are decided alone, as during any outage.
 *
 * <p>Changes arriving while others are held queue behind them, so Redis sees one node's changes in order. Guarded by
 * the mirror's monitor, like everything the node sends.
 */
final class HeldPresence {
    /** One held change of {@code channel}: how to decide it through Redis, and alone. */
    private record Held(NodeMirror.Key channel, long deadlineNanos, Supplier<CompletionStage<Object>> viaRedis,
                        Supplier<CompletionStage<Object>> alone, CompletableFuture<Object> result) {}

    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private final long holdNanos;

    HeldPresence(long holdMillis) {
        this.holdNanos = holdMillis * 1_000_000L;
    }

    /** Whether presence changes are held at all (on a Redis Cluster, with a hold longer than 0). */
    boolean enabled() {
        return holdNanos > 0;
    }

    /** Under the mirror's monitor: whether a new change must queue behind held ones. */
    boolean busy() {
        return !queue.isEmpty();
    }

    /** Under the mirror's monitor: holds a change; the stage completes with whichever way decides it. */
    @SuppressWarnings("unchecked")
    <T> CompletionStage<T> hold(String appId, String channel, Supplier<CompletionStage<T>> viaRedis,
                                Supplier<CompletionStage<T>> alone) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        queue.addLast(new Held(new NodeMirror.Key(appId, channel), System.nanoTime() + holdNanos,
                (Supplier<CompletionStage<Object>>) (Supplier<?>) viaRedis,
                (Supplier<CompletionStage<Object>>) (Supplier<?>) alone, result));
        return (CompletionStage<T>) result;
    }

    /** Under the mirror's monitor: the channels that have changes held. */
    Set<NodeMirror.Key> channels() {
        Set<NodeMirror.Key> out = new LinkedHashSet<>();
        queue.forEach(h -> out.add(h.channel));
        return out;
    }

    /**
     * Under the mirror's monitor, with Redis answering and this node's share written back: the held changes of each
     * channel in {@code ready} are decided through Redis, in order. The announcement a decision makes is published
     * once, so a channel is ready when every node holding sockets in it listens on its shard again (after a failover
     * each node re-subscribes at its own pace); a channel not ready keeps its changes, in order, for a later beat.
     * One that Redis refuses again is held again by the deciding code (behind the rest: its turn came and went).
     */
    void release(Set<NodeMirror.Key> ready) {
        for (int n = queue.size(); n > 0; n--) {
            Held h = queue.pollFirst();
            if (ready.contains(h.channel)) {
                h.viaRedis.get().whenComplete((v, err) -> complete(h, v, err));
            } else {
                queue.addLast(h);
            }
        }
    }

    /** Under the mirror's monitor, each heartbeat: changes held past their deadline are decided alone, in order. */
    void expire() {
        long now = System.nanoTime();
        while (!queue.isEmpty() && now - queue.peekFirst().deadlineNanos >= 0) {
            Held h = queue.pollFirst();
            h.alone.get().whenComplete((v, err) -> complete(h, v, err));
        }
    }

    private static void complete(Held h, Object v, Throwable err) {
        if (err != null) {
            h.result.completeExceptionally(err);
        } else {
            h.result.complete(v);
        }
    }
}
