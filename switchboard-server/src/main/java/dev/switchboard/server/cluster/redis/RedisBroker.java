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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
 * that comes back from Redis with this node as its origin is skipped. Except a change at a position (a channel's
 * membership, a user's online or offline): the script that decided it published it (docs/cluster.md, "Presence: one
 * membership order per channel"), and this node delivers it from here like any other node's, so its sockets get
 * the changes in the order they were decided (delivered from the script's answer, it could overtake another node's
 * earlier change).
 *
 * <p>The pub/sub loop is watched, not trusted: every heartbeat the node publishes a probe to itself; a loop that
 * stays silent for a lease (a link that fell silent without closing, or that carries one way only) makes the node
 * open a new connection, subscribe again to every current interest and, as it may have missed messages, resign
 * and rejoin ({@link NodeFence}); after any outage every interest is subscribed again too. What arrives while the
 * node's lease is in doubt is held until the heartbeat says whether to deliver it or drop it (fenced).
 * Subscribing, unsubscribing and publishing are each one method here. On a Redis Cluster they are sharded (SSUBSCRIBE on the master owning the
 * channel's slot, SPUBLISH routed there, see {@link ShardedSubscriptions}): every topic channel carries the hash tag
 * of the state it belongs to, so a channel's traffic stays on one shard, and after a failover the subscriptions
 * whose slot changed master are made again on the new one.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    /** The probe repeats every heartbeat: a flaky network must not log on each one. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);
    /** Messages held while the lease is in doubt; past this the node cannot vouch for them and resigns. */
    static final int MAX_HELD = 10_000;

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
    private final NodeFence fence;
    /** This node's probe channel: what it publishes there each heartbeat must come back through its subscription. */
    private final byte[] probeChannel;
    /** When the oldest probe not yet back was sent; 0 when every probe sent came back. */
    private volatile long unansweredSinceNanos;
    private long probes;
    /** Received while the lease was not surely held, in order, until the heartbeat says deliver or drop. */
    private final ArrayDeque<byte[][]> held = new ArrayDeque<>();
    /** Messages of other nodes handed to local delivery (own ones are not counted). */
    final AtomicLong delivered = new AtomicLong();

    RedisBroker(RedisLink link, String nodeId, NodeFence fence) {
        this.link = link;
        this.keys = link.keys;
        this.node = nodeId;
        this.origin = nodeId.getBytes(StandardCharsets.US_ASCII);
        this.fence = fence;
        this.probeChannel = keys.probe(nodeId).getBytes(StandardCharsets.UTF_8);
        fence.listen(this::deliverHeld, this::dropHeld);
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
        if (frame.sequence() > 0) {
            // Ordered: delivered here too when it comes back from pub/sub (window_append.lua publishes these itself).
            send(topic, new BrokerMessage(BrokerMessage.SEQUENCED, node, exceptSocketId, frame.sequence(), frame.bytes()));
            return;
        }
        local.deliver(topic, frame, exceptSocketId);
        send(topic, new BrokerMessage(BrokerMessage.FRAME, node, exceptSocketId, frame.position(), frame.bytes()));
    }

    @Override
    public void terminateUser(String appId, String userId) {
        local.terminateUser(appId, userId);
        send(Topic.user(appId, userId), new BrokerMessage(BrokerMessage.TERMINATE, node, null, new byte[0]));
    }

    @Override
    public void reconnectUser(String appId, String userId) {
        local.reconnectUser(appId, userId);
        send(Topic.user(appId, userId), new BrokerMessage(BrokerMessage.RECONNECT, node, null, new byte[0]));
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
        if (Arrays.equals(channel, probeChannel)) {
            unansweredSinceNanos = 0;
            return;
        }
        boolean own = BrokerMessage.isFrom(message, origin);
        if (own && !BrokerMessage.isOrdered(message)) {
            return; // delivered here when it was published
        }
        if (!own) {
            link.messagesIn.incrementAndGet();
        }
        synchronized (held) {
            switch (fence.admission()) {
                case DROP -> {
                    return;
                }
                case HOLD -> {
                    hold(channel, message);
                    return;
                }
                case DELIVER -> {
                    if (!held.isEmpty()) {
                        hold(channel, message); // behind what is held, in order
                        return;
                    }
                }
            }
            deliver(channel, message);
        }
    }

    /** Under {@code held}. */
    private void hold(byte[] channel, byte[] message) {
        if (held.size() >= MAX_HELD) {
            held.pollFirst();
            fence.requestResign("more than " + MAX_HELD + " pub/sub messages arrived while its lease was in doubt");
        }
        held.addLast(new byte[][] {channel, message});
    }

    /** The lease was renewed: what was held is delivered, in order. */
    private void deliverHeld() {
        synchronized (held) {
            for (byte[][] m; (m = held.pollFirst()) != null; ) {
                deliver(m[0], m[1]);
            }
        }
    }

    /** Fenced: what was held was published while (or after) the cluster declared this node dead. */
    private void dropHeld() {
        synchronized (held) {
            held.clear();
        }
    }

    private void deliver(byte[] channel, byte[] message) {
        Topic topic = interests.get(new String(channel, StandardCharsets.UTF_8));
        BrokerMessage m = BrokerMessage.decode(message);
        if (topic == null || m == null) {
            return;
        }
        if (!BrokerMessage.isFrom(message, origin)) {
            delivered.incrementAndGet();
        }
        if (m.kind() == BrokerMessage.TERMINATE) {
            local.terminateUser(topic.appId(), topic.name());
        } else if (m.kind() == BrokerMessage.RECONNECT) {
            local.reconnectUser(topic.appId(), topic.name());
        } else if (m.kind() == BrokerMessage.SEQUENCED) {
            local.deliver(topic, Frame.ofBytes(m.frame()).withSequence(m.position()), m.exceptSocketId());
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

    /**
     * Every heartbeat the node publishes a probe to its own probe channel. Each one that comes back shows the whole
     * loop works: this node can publish, Redis routes, and its subscription receives (a PING only shows that the
     * pub/sub connection answers). While probes do not come back the link is given time, as long as the node's lease
     * lasts: a link that froze and thaws delivers its backlog in order, and nothing is lost. A loop silent for longer
     * is a partition of this node's messages: a new pub/sub connection is made, and a node with interests may have
     * missed messages its clients needed, so it resigns from the cluster and rejoins (see {@link NodeFence}).
     */
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
        long since = unansweredSinceNanos;
        long silentMillis = since == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        if (silentMillis > link.settings.nodeTimeoutMillis()) {
            limitedLog.warn("probe-lost", "No probe of this node came back through Redis pub/sub for {} ms; opening a "
                    + "new pub/sub connection", silentMillis);
            if (!interests.isEmpty()) {
                fence.requestResign("its pub/sub loop was silent for " + silentMillis + " ms");
            }
            unansweredSinceNanos = 0;
            link.reconnects.incrementAndGet();
            connect();
            return;
        }
        if (unansweredSinceNanos == 0) {
            unansweredSinceNanos = System.nanoTime();
        }
        link.publishProbe(probeChannel, new BrokerMessage(BrokerMessage.FRAME, node, null,
                Long.toString(probes++).getBytes(StandardCharsets.US_ASCII)).encode());
        if (resubscribe) {
            resubscribeAll(c);
        }
    }

    private void resubscribeAll(StatefulRedisPubSubConnection<byte[], byte[]> c) {
        resubscribe = false;
        boolean sharded = c instanceof StatefulRedisClusterPubSubConnection;
        if (interests.isEmpty() && sharded) {
            return;
        }
        link.roundTrips.incrementAndGet();
        CompletableFuture<Void> sent;
        if (c instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
            sent = shards.reroute(cluster, interests.keySet()); // only what is not on its slot's master now
        } else {
            List<byte[]> all = new ArrayList<>();
            all.add(probeChannel);
            interests.keySet().forEach(s -> all.add(s.getBytes(StandardCharsets.UTF_8)));
            sent = subscribe(c, all.toArray(byte[][]::new));
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
