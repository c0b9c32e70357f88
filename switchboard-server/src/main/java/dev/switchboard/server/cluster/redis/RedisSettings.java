package dev.switchboard.server.cluster.redis;

import java.time.Duration;

/**
 * What a node needs to join a cluster on Redis: the URL ({@code redis://} or {@code rediss://}, password in the
 * URL), the key prefix that keeps clusters apart on one Redis, how often the node renews its lease and how long a
 * lease lasts without renewal (a node silent that long is dead and cleaned up by another). With {@code sharded}
 * the URL is a comma-separated list of seed nodes of a Redis Cluster (any reachable one reveals the rest), and
 * pub/sub is sharded (SSUBSCRIBE/SPUBLISH on the shard that owns the topic's slot).
 */
public record RedisSettings(String url, String prefix, int heartbeatMillis, int nodeTimeoutMillis, boolean sharded,
                            int presenceHoldMillis) {
    /** The default of {@code redis_presence_hold_millis} (as in ServerConfig): Redis Cluster's default failover
     * (~30 s) and a margin. */
    public static final int DEFAULT_PRESENCE_HOLD_MILLIS = 60_000;

    public RedisSettings {
        String setting = sharded ? "redis_cluster" : "redis_url";
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException(setting + " must not be empty");
        }
        for (String one : sharded ? url.split(",") : new String[] {url}) {
            if (!(one.startsWith("redis://") || one.startsWith("rediss://"))) {
                throw new IllegalArgumentException(setting + " must start with redis:// or rediss://: "
                        + redactedUrl(one));
            }
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
        if (presenceHoldMillis < 0) {
            throw new IllegalArgumentException("redis_presence_hold_millis must not be negative: "
                    + presenceHoldMillis);
        }
    }

    /** With the default presence hold ({@link HeldPresence}; it applies on a Redis Cluster only). */
    public RedisSettings(String url, String prefix, int heartbeatMillis, int nodeTimeoutMillis, boolean sharded) {
        this(url, prefix, heartbeatMillis, nodeTimeoutMillis, sharded, DEFAULT_PRESENCE_HOLD_MILLIS);
    }

    /** One Redis (or a primary behind a proxy): plain PUBLISH/SUBSCRIBE. */
    public RedisSettings(String url, String prefix, int heartbeatMillis, int nodeTimeoutMillis) {
        this(url, prefix, heartbeatMillis, nodeTimeoutMillis, false);
    }

    public static RedisSettings of(String url) {
        return new RedisSettings(url, "switchboard", 1000, 5000);
    }

    /** A Redis Cluster from its comma-separated seed URLs, with the default prefix, heartbeat and lease. */
    public static RedisSettings cluster(String urls) {
        return new RedisSettings(urls, "switchboard", 1000, 5000, true);
    }

    /** The seed URLs of a Redis Cluster, one by one. */
    java.util.List<String> seeds() {
        return java.util.List.of(url.split(","));
    }

    /** The URL(s) without passwords, for logs and /up. */
    public String shown() {
        StringBuilder b = new StringBuilder();
        for (String one : sharded ? url.split(",") : new String[] {url}) {
            b.append(b.length() == 0 ? "" : ",").append(redactedUrl(one));
        }
        return b.toString();
    }

    private static String redactedUrl(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        return at < 0 || scheme < 0 ? url : url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
    }

    /**
     * How long one command may take before the node treats Redis as unreachable and decides on its own: two
     * heartbeats (at least one second, so a busy machine is not taken for an outage), so a silent Redis costs at
     * most that once before every node serves its own clients.
     */
    Duration commandTimeout() {
        return Duration.ofMillis(Math.max(1000L, 2L * heartbeatMillis));
    }

    /** The URL without its password, for logs and /up. */
    public static String redacted(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        return at < 0 || scheme < 0 ? url : url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
    }

    Duration heartbeat() {
        return Duration.ofMillis(heartbeatMillis);
    }
}
