package dev.switchboard.server;

import dev.switchboard.server.cluster.redis.RedisSettings;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.dashboard.Dashboard;
import dev.switchboard.server.edge.EdgeServer;
import dev.switchboard.server.engine.ClusterNode;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node tells its operator once it listens: where, with which transport, TLS and metrics, which apps, which
 * cluster, and the dashboard's address. Under {@link Switchboard}'s logger, as before (scripts and the browser tests
 * read the "listening on" line).
 */
final class StartupLog {
    private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

    private StartupLog() {}

    static void started(ServerConfig config, ClusterNode node, EdgeServer edge, Dashboard dashboard) {
        log.info("Switchboard node {} listening on {}:{} ({}), apps: {}", node.nodeId(), config.host(), edge.port(),
                edge.describe(), describeApps(config));
        if (!config.redisUrl().isEmpty()) {
            String degraded = node.degradedReason();
            log.info("Node {} is a cluster member on Redis {} (prefix {}): {}", node.nodeId(),
                    new RedisSettings(config.redisUrl(), config.redisPrefix(), config.clusterHeartbeatMillis(),
                            config.clusterNodeTimeoutMillis()).shown(), config.redisPrefix(),
                    degraded == null ? node.liveNodes() + " live nodes" : degraded);
        }
        if (dashboard != null) {
            dashboard.logAddress(config.host(), edge.port());
        }
        if (!config.redisCluster().isEmpty()) {
            String degraded = node.degradedReason();
            log.info("Node {} is a cluster member on the Redis Cluster {}: {}", node.nodeId(),
                    RedisSettings.cluster(config.redisCluster()).shown(),
                    degraded == null ? node.liveNodes() + " live nodes" : degraded);
        }
    }

    /** Ids and keys only: secrets never reach a log. */
    private static String describeApps(ServerConfig config) {
        String fixed = config.apps().stream()
                .map(a -> a.id() + " (key " + a.key() + (a.enabled() ? "" : ", disabled") + ")")
                .collect(Collectors.joining(", "));
        return config.hasAppsDatabase() ? (fixed.isEmpty() ? "" : fixed + ", ") + "and the apps database's" : fixed;
    }
}
