package dev.switchboard.server.cluster.redis;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sharded subscriptions on a Redis Cluster: each topic channel is SSUBSCRIBEd on the master that owns its slot,
 * over Lettuce's connection to that node, and this remembers which node that was. Redis does not move a
 * subscription when its slot moves (a failover, a resharding), so after a topology change {@link #reroute} finds
 * the channels whose slot now has another master and subscribes them there. A message is taken only from the node
 * the channel is subscribed on now: a stale subscription on a former master that came back as a replica (replicas
 * see their master's SPUBLISHes too) would otherwise deliver twice.
 */
final class ShardedSubscriptions {
    /** Channel name → id of the Redis node it is subscribed on (set before the SSUBSCRIBE is sent). */
    private final ConcurrentHashMap<String, String> subscribedOn = new ConcurrentHashMap<>();

    /**
     * SSUBSCRIBEs {@code channels}, each on its slot's master, one command per slot: Redis refuses an SSUBSCRIBE
     * naming channels of two slots (CROSSSLOT) even when one node owns both, and a refusal repeated at every retry
     * would leave the channels unsubscribed for good (what a failover did to a node with two channels on the failed
     * shard). Fails if any slot has no master or any command fails; the rest are subscribed anyway.
     */
    CompletableFuture<Void> subscribe(StatefulRedisClusterPubSubConnection<byte[], byte[]> c, Collection<byte[]> channels) {
        Map<Integer, List<byte[]>> bySlot = new HashMap<>();
        for (byte[] channel : channels) {
            bySlot.computeIfAbsent(SlotHash.getSlot(channel), s -> new ArrayList<>()).add(channel);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (Map.Entry<Integer, List<byte[]>> e : bySlot.entrySet()) {
            RedisClusterNode owner = c.getPartitions().getMasterBySlot(e.getKey());
            if (owner == null) {
                sent.add(CompletableFuture.failedFuture(new IllegalStateException("no master for slot " + e.getKey()
                        + " yet")));
                continue;
            }
            String node = owner.getNodeId();
            for (byte[] channel : e.getValue()) {
                String was = subscribedOn.put(new String(channel, StandardCharsets.UTF_8), node);
                if (was != null && !was.equals(node)) {
                    unsubscribeOn(c, was, channel);
                }
            }
            byte[][] names = e.getValue().toArray(byte[][]::new);
            sent.add(onNode(c, node).thenCompose(n -> n.async().ssubscribe(names).toCompletableFuture())
                    .whenComplete((v, err) -> {
                        if (err != null) {
                            for (byte[] name : names) {
                                subscribedOn.remove(new String(name, StandardCharsets.UTF_8), node);
                            }
                        }
                    }));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /** Lettuce's pub/sub connection to one node; it throws at once for a node the topology no longer lists. */
    private static CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> onNode(
            StatefulRedisClusterPubSubConnection<byte[], byte[]> c, String node) {
        try {
            return c.getConnectionAsync(node);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    CompletableFuture<Void> unsubscribe(StatefulRedisClusterPubSubConnection<byte[], byte[]> c, byte[] channel) {
        String node = subscribedOn.remove(new String(channel, StandardCharsets.UTF_8));
        return node == null ? CompletableFuture.completedFuture(null) : unsubscribeOn(c, node, channel);
    }

    private static CompletableFuture<Void> unsubscribeOn(StatefulRedisClusterPubSubConnection<byte[], byte[]> c,
                                                         String node, byte[] channel) {
        return onNode(c, node).thenCompose(n -> n.async().sunsubscribe(channel).toCompletableFuture())
                .exceptionally(err -> null); // a node that is gone holds no subscription worth removing
    }

    /** Subscribes again, on their slot's master now, the channels whose subscription is elsewhere (or nowhere). */
    CompletableFuture<Void> reroute(StatefulRedisClusterPubSubConnection<byte[], byte[]> c, Collection<String> channels) {
        List<byte[]> moved = new ArrayList<>();
        for (String channel : channels) {
            byte[] name = channel.getBytes(StandardCharsets.UTF_8);
            RedisClusterNode owner = c.getPartitions().getMasterBySlot(SlotHash.getSlot(name));
            if (owner == null || !owner.getNodeId().equals(subscribedOn.get(channel))) {
                moved.add(name);
            }
        }
        return moved.isEmpty() ? CompletableFuture.completedFuture(null) : subscribe(c, moved);
    }

    /** Whether a message on {@code channel} from {@code node} is one to deliver (see the class comment). */
    boolean accepts(RedisClusterNode node, String channel) {
        String on = subscribedOn.get(channel);
        return on != null && node != null && on.equals(node.getNodeId());
    }

    /** Forgets every subscription (a new pub/sub connection starts with none). */
    void clear() {
        subscribedOn.clear();
    }
}
