package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterTraffic;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.ClusterNode;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.webhooks.WebhookQueue;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A node of a cluster on one Redis: the {@link RedisBroker}, the {@link RedisState} and this node's identity, all
 * on one {@link RedisLink}. The node id is new at every start (8 random hex digits and the start time in seconds),
 * so a restarted node never inherits the share of its previous run; that share is cleaned up by whoever sees the
 * old lease expire.
 */
public final class RedisCluster implements Cluster, ClusterNode, ClusterTraffic {
    private final String nodeId;
    private final RedisLink link;
    private final RedisState state;
    private final RedisBroker broker;
    private boolean closed;

    public RedisCluster(RedisSettings settings) {
        this(settings, newNodeId());
    }

    RedisCluster(RedisSettings settings, String nodeId) {
        this.nodeId = nodeId;
        this.link = new RedisLink(settings);
        NodeFence fence = new NodeFence(settings.nodeTimeoutMillis());
        this.state = new RedisState(link, nodeId, fence);
        this.broker = new RedisBroker(link, nodeId, fence);
    }

    static String newNodeId() {
        return String.format("%08x", new SecureRandom().nextInt()) + "-" + Instant.now().getEpochSecond();
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public SharedState state() {
        return state;
    }

    @Override
    public ClusterNode node() {
        return this;
    }

    @Override
    public ClusterTraffic traffic() {
        return this;
    }

    /**
     * The webhook queue of this node (docs/webhooks.md): Redis streams on this node's link, batches of nodes whose
     * lease is gone claimed by this one.
     */
    public WebhookQueue webhookQueue() {
        return new RedisWebhookQueue(link, nodeId);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public int liveNodes() {
        return state.liveNodes();
    }

    @Override
    public String degradedReason() {
        return link.degradedReason();
    }

    /** Commands and scripts sent to Redis (each one round trip), since start. */
    @Override
    public long roundTrips() {
        return link.roundTrips.get();
    }

    /** Pub/sub messages received from other nodes. */
    @Override
    public long messagesIn() {
        return link.messagesIn.get();
    }

    /** Pub/sub messages published. */
    @Override
    public long messagesOut() {
        return link.messagesOut.get();
    }

    /** Times the node got Redis back after an outage, plus connections re-made after falling silent. */
    @Override
    public long reconnects() {
        return link.reconnects.get();
    }

    /** As kill -9 would: no more heartbeats, connections dropped, nothing removed from Redis (tests). */
    synchronized void crash() {
        closed = true;
        state.abandon();
        broker.close();
        link.close();
    }

    /** Leaves the cluster: this node's remaining share is removed and its lease dropped, then the links close. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            state.close();
            broker.close();
        } finally {
            link.close();
        }
    }
}
