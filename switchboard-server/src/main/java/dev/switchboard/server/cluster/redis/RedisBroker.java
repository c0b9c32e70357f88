package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.logging.RateLimitedLog;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker on Redis pub/sub, routed by interest: the node SUBSCRIBEs to a topic's channel only while it has local
 * listeners for it, so it receives nothing for topics nobody on it listens to. What it publishes is delivered here
 * at once (local delivery never waits for Redis and survives an outage) and published for the others; a message
 * that comes back from Redis with this node as its origin is skipped.
 *
 * <p>The pub/sub connection is watched, not trusted: every heartbeat it is PINGed; a PING that goes unanswered
 * (a link that fell silent without closing) makes the node open a new connection and subscribe again to every
 * current interest, and after any outage every interest is subscribed again too. Subscribing, unsubscribing and
 * publishing are each one method here. On a Redis Cluster they are sharded (SSUBSCRIBE on the master owning the
 * channel's slot, SPUBLISH routed there, see {@link ShardedSubscriptions}): every topic channel carries the hash tag
 * of the state it belongs to, so a channel's traffic stays on one shard, and after a failover the subscriptions
 * whose slot changed master are made again on the new one.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    /** The PING repeats every heartbeat: a flaky network must not log on each one. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);

    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;
    private final byte[] origin;
    /** Pub/sub channel name → topic, for every topic this node is interested in. */
    private final ConcurrentHashMap<String, Topic> interests = new ConcurrentHashMap<>();
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private volatile Delivery local;
    private volatile boolean resubscribe;
    private volatile ScheduledFuture<?> probe;
    private volatile boolean closed;
    /** Which Redis node holds each sharded subscription (Redis Cluster only). */
    private final ShardedSubscriptions shards = new ShardedSubscriptions();
    /** Messages of other nodes handed to local delivery (own ones are skipped, not counted). */
    final AtomicLong delivered = new AtomicLong();

    RedisBroker(RedisLink link, String nodeId) {
        this.link = link;
        this.keys = link.keys;
        this.node = nodeId;
        this.origin = nodeId.getBytes(StandardCharsets.US_ASCII);
        link.onTopologyChange(() -> resubscribe = true); // the next probe moves what moved; not on Lettuce's thread
    }

    @Override
    public void start(Delivery delivery) {
        this.local = delivery;
        connect();
        probe = link.scheduler.scheduleWithFixedDelay(this::probe, link.settings.heartbeatMillis(),
                link.settings.heartbeatMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void publish(Topic topic, Frame frame, String exceptSocketId) {
        local.deliver(topic, frame, exceptSocketId);
        send(topic, new BrokerMessage(BrokerMessage.FRAME, node, exceptSocketId, frame.position(), frame.bytes()));
    }

    @Override
    public void terminateUser(String appId, String userId) {
        local.terminateUser(appId, userId);
        send(Topic.user(appId, userId), new BrokerMessage(BrokerMessage.TERMINATE, node, null, new byte[0]));
    }

    @Override
    public CompletionStage<Void> interest(Topic topic, boolean interested) {
        String channel = keys.topicChannel(topic);
        StatefulRedisPubSubConnection<byte[], byte[]> c = pubsub;
        if (interested) {
            interests.put(channel, topic);
        } else {
            interests.remove(channel);
        }
        if (c == null || !c.isOpen()) {
            resubscribe = true; // subscribed with the rest once Redis answers; local delivery works meanwhile
            return CompletableFuture.completedFuture(null);
        }
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> sent = interested ? subscribe(c, name) : unsubscribe(c, name);
        link.roundTrips.incrementAndGet();
        return sent.handle((v, err) -> {
            if (err != null) {
                resubscribe = true;
            }
            return null;
        });
    }

    int interestCount() {
        return interests.size();
    }

    // ------------------------------------------------------------------ the three pub/sub calls

    private void send(Topic topic, BrokerMessage message) {
        link.publish(keys.topicChannel(topic).getBytes(StandardCharsets.UTF_8), message.encode());
    }

    private CompletableFuture<Void> subscribe(StatefulRedisPubSubConnection<byte[], byte[]> c, byte[]... channels) {
        if (c instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
            return shards.subscribe(cluster, List.of(channels));
        }
        return c.async().subscribe(channels).toCompletableFuture();
    }

    private CompletableFuture<Void> unsubscribe(StatefulRedisPubSubConnection<byte[], byte[]> c, byte[] channel) {
        if (c instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
            return shards.unsubscribe(cluster, channel);
        }
        return c.async().unsubscribe(channel).toCompletableFuture();
    }

    // ------------------------------------------------------------------ receiving

    private final RedisPubSubAdapter<byte[], byte[]> listener = new RedisPubSubAdapter<>() {
        @Override
        public void message(byte[] channel, byte[] message) {
            receive(channel, message);
        }
    };

    private final RedisClusterPubSubAdapter<byte[], byte[]> shardListener = new RedisClusterPubSubAdapter<>() {
        @Override
        public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
            if (shards.accepts(node, new String(channel, StandardCharsets.UTF_8))) {
                receive(channel, message);
            }
        }
    };

    private void receive(byte[] channel, byte[] message) {
        if (BrokerMessage.isFrom(message, origin)) {
            return;
        }
        link.messagesIn.incrementAndGet();
        Topic topic = interests.get(new String(channel, StandardCharsets.UTF_8));
        BrokerMessage m = BrokerMessage.decode(message);
        if (topic == null || m == null) {
            return;
        }
        delivered.incrementAndGet();
        if (m.kind() == BrokerMessage.TERMINATE) {
            local.terminateUser(topic.appId(), topic.name());
        } else {
            local.deliver(topic, Frame.ofBytes(m.frame(), m.position()), m.exceptSocketId());
        }
    }

    // ------------------------------------------------------------------ watching the link

    private void connect() {
        if (closed || !link.connect()) {
            return;
        }
        try {
            StatefulRedisPubSubConnection<byte[], byte[]> c = link.connectPubSub();
            if (c instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
                shards.clear();
                cluster.addListener(shardListener);
            } else {
                c.addListener(listener);
            }
            StatefulRedisPubSubConnection<byte[], byte[]> old = pubsub;
            pubsub = c;
            if (old != null) {
                old.closeAsync();
            }
            resubscribe = true;
            resubscribeAll(c);
        } catch (RuntimeException e) {
            link.down(e);
        }
    }

    private void probe() {
        if (closed) {
            return;
        }
        StatefulRedisPubSubConnection<byte[], byte[]> c = pubsub;
        if (c == null) {
            connect();
            return;
        }
        if (c instanceof StatefulRedisClusterPubSubConnection) {
            // Subscriptions live on the connections to each shard, which Lettuce re-makes (and re-subscribes) by
            // itself; pinging every shard each heartbeat would be a command to every shard per node per beat. What
            // is left to do here is moving subscriptions whose slot changed master. That is compared every beat (in
            // memory; a command only for what moved), not only after Lettuce's topology event: the event comes
            // before Lettuce updates its slot table, and a subscription refused mid-failover must be tried again.
            resubscribeAll(c);
            return;
        }
        try {
            c.async().ping().toCompletableFuture().get(link.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (resubscribe) {
                resubscribeAll(c);
            }
        } catch (Exception e) {
            if (!NodeLeases.isTimeout(e)) {
                resubscribe = true; // Lettuce is reconnecting; what it could not subscribe meanwhile is done after
                return;
            }
            limitedLog.warn("ping-timeout",
                    "Redis pub/sub connection did not answer a PING within {} ms; opening a new one",
                    link.settings.commandTimeout().toMillis());
            link.reconnects.incrementAndGet();
            connect();
        }
    }

    private void resubscribeAll(StatefulRedisPubSubConnection<byte[], byte[]> c) {
        resubscribe = false;
        if (interests.isEmpty()) {
            return;
        }
        link.roundTrips.incrementAndGet();
        CompletableFuture<Void> sent;
        if (c instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
            sent = shards.reroute(cluster, interests.keySet()); // only what is not on its slot's master now
        } else {
            sent = subscribe(c, interests.keySet().stream().map(s -> s.getBytes(StandardCharsets.UTF_8))
                    .toArray(byte[][]::new));
        }
        sent.whenComplete((v, err) -> {
            if (err != null) {
                resubscribe = true;
                limitedLog.warn("resubscribe", "Redis did not take this node's subscriptions ({}); trying again "
                        + "every heartbeat, other nodes' events on them are not received meanwhile", err.toString());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> p = probe;
        if (p != null) {
            p.cancel(false);
        }
        StatefulRedisPubSubConnection<byte[], byte[]> c = pubsub;
        if (c != null) {
            c.close();
        }
    }
}
