package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.testing.RedisClusterServer;
import dev.switchboard.server.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;

/**
 * Nodes of one test cluster on one test Redis (or one test Redis Cluster): each a {@link RedisCluster} of its own,
 * closed (or abandoned) after.
 */
final class RedisNodes implements AutoCloseable {
    static final int HEARTBEAT_MILLIS = 200;
    static final int NODE_TIMEOUT_MILLIS = 2000;

    private final List<RedisCluster> nodes = new ArrayList<>();

    RedisCluster start(RedisServer redis) {
        return start(redis.url(), HEARTBEAT_MILLIS, NODE_TIMEOUT_MILLIS);
    }

    /** A node on a Redis Cluster: sharded pub/sub, the cluster client. */
    RedisCluster start(RedisClusterServer redis) {
        return start(redis, HEARTBEAT_MILLIS, NODE_TIMEOUT_MILLIS);
    }

    RedisCluster start(RedisClusterServer redis, int heartbeatMillis, int nodeTimeoutMillis) {
        return start(redis, heartbeatMillis, nodeTimeoutMillis, RedisSettings.DEFAULT_PRESENCE_HOLD_MILLIS);
    }

    /** With {@code redis_presence_hold_millis} set to {@code presenceHoldMillis}. */
    RedisCluster start(RedisClusterServer redis, int heartbeatMillis, int nodeTimeoutMillis, int presenceHoldMillis) {
        RedisCluster node = new RedisCluster(new RedisSettings(redis.urls(), "sbtest", heartbeatMillis,
                nodeTimeoutMillis, true, presenceHoldMillis));
        nodes.add(node);
        return node;
    }

    RedisCluster start(String url, int heartbeatMillis, int nodeTimeoutMillis) {
        RedisCluster node = new RedisCluster(new RedisSettings(url, "sbtest", heartbeatMillis, nodeTimeoutMillis));
        nodes.add(node);
        return node;
    }

    @Override
    public void close() {
        for (RedisCluster n : nodes) {
            n.close();
        }
        nodes.clear();
    }
}
