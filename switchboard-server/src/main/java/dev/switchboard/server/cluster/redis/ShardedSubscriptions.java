package dev.switchboard.server.cluster.redis;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
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

    CompletableFuture<Void> subscribe(StatefulRedisClusterPubSubConnection<byte[], byte[]> c, Collection<byte[]> channels) {
        Map<String, List<byte[]>> byNode = new HashMap<>();
        for (byte[] channel : channels) {
            RedisClusterNode owner = c.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
            if (owner == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("no master for the slot of "
                        + new String(channel, StandardCharsets.UTF_8) + " yet"));
            }
            String name = new String(channel, StandardCharsets.UTF_8);
            String was = subscribedOn.put(name, owner.getNodeId());
            if (was != null && !was.equals(owner.getNodeId())) {
                unsubscribeOn(c, was, channel);
            }
            byNode.computeIfAbsent(owner.getNodeId(), n -> new ArrayList<>()).add(channel);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (Map.Entry<String, List<byte[]>> e : byNode.entrySet()) {
            byte[][] names = e.getValue().toArray(byte[][]::new);
            sent.add(c.getConnectionAsync(e.getKey())
                    .thenCompose(node -> node.async().ssubscribe(names).toCompletableFuture())
                    .whenComplete((v, err) -> {
                        if (err != null) {
                            for (byte[] n : names) {
                                subscribedOn.remove(new String(n, StandardCharsets.UTF_8), e.getKey());
                            }
                        }
                    }));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    CompletableFuture<Void> unsubscribe(StatefulRedisClusterPubSubConnection<byte[], byte[]> c, byte[] channel) {
        String node = subscribedOn.remove(new String(channel, StandardCharsets.UTF_8));
        return node == null ? CompletableFuture.completedFuture(null) : unsubscribeOn(c, node, channel);
    }

    private static CompletableFuture<Void> unsubscribeOn(StatefulRedisClusterPubSubConnection<byte[], byte[]> c,
                                                         String node, byte[] channel) {
        return c.getConnectionAsync(node).thenCompose(n -> n.async().sunsubscribe(channel).toCompletableFuture())
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
