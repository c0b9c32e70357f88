package dev.switchboard.server.cluster.redis;

import java.time.Duration;

/**
 * What a node needs to join a cluster on Redis: the URL ({@code redis://} or {@code rediss://}, password in the
 * URL), the key prefix that keeps clusters apart on one Redis, how often the node renews its lease and how long a
 * lease lasts without renewal (a node silent that long is dead and cleaned up by another).
 */
public record RedisSettings(String url, String prefix, int heartbeatMillis, int nodeTimeoutMillis) {

    public RedisSettings {
        if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
            throw new IllegalArgumentException("redis_url must start with redis:// or rediss://: " + url);
        }
        if (prefix == null || prefix.isEmpty() || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("redis_prefix must be non-empty and hold no braces: " + prefix);
        }
        if (heartbeatMillis < 50) {
            throw new IllegalArgumentException("cluster_heartbeat_millis must be at least 50: " + heartbeatMillis);
        }
        if (nodeTimeoutMillis < 2 * heartbeatMillis) {
            throw new IllegalArgumentException("cluster_node_timeout_millis must be at least twice "
                    + "cluster_heartbeat_millis: " + nodeTimeoutMillis);
        }
    }

    public static RedisSettings of(String url) {
        return new RedisSettings(url, "switchboard", 1000, 5000);
    }

    /**
     * How long one command may take before the node treats Redis as unreachable and decides on its own: two
     * heartbeats, so a silent Redis costs at most that once before every node serves its own clients.
     */
    Duration commandTimeout() {
        return Duration.ofMillis(2L * heartbeatMillis);
    }

    Duration heartbeat() {
        return Duration.ofMillis(heartbeatMillis);
    }
}
