package dev.switchboard.server.config;

import java.util.List;

/**
 * The whole, immutable configuration tree of one node. Built by {@link ConfigLoader} from defaults, a config
 * file, environment variables and flags (later sources win).
 */
public record ServerConfig(
        String host,
        int port,
        /** Sent in {@code connection_established}; also how long a socket may be silent before we ping it. */
        int activityTimeoutSeconds,
        /** After our ping, how long we wait for any frame before closing 4201. */
        int pongTimeoutSeconds,
        /** Largest WebSocket frame accepted; a larger one closes the socket (1009). */
        int maxFrameBytes,
        /** Largest HTTP request body accepted; larger is 413. */
        int maxHttpBodyBytes,
        /** Allowed distance between {@code auth_timestamp} and the server clock (Pusher: 600 s). */
        int timestampSkewSeconds,
        /** Outbound buffer per socket: over the high mark the client is closed as a slow consumer. */
        int writeBufferHighWaterMark,
        int writeBufferLowWaterMark,
        /** On SIGTERM, how long in-flight HTTP requests get to finish. */
        int shutdownGraceSeconds,
        /** Event-loop threads for sockets; 0 means one per core. */
        int workerThreads,
        /** New WebSocket connections one client address may open per second (0: no limit); over it the upgrade gets 429. */
        int maxConnectionsPerIpPerSecond,
        /** Proxies whose X-Forwarded-For names the client (comma-separated addresses or CIDR ranges). */
        String trustedProxies,
        /** WebSocket connections this node holds at most, all apps together (0: no limit); over it: close 4100. */
        int maxNodeConnections,
        /** Webhook batching window and the delay for channel_vacated / member_removed. */
        int webhookBatchMillis,
        int webhookBatchMaxEvents,
        int webhookLeaveDelayMillis,
        int webhookTimeoutMillis,
        int webhookQueueSize,
        int webhookRetrySeconds,
        boolean metricsEnabled,
        List<AppConfig> apps) {

    public ServerConfig {
        apps = List.copyOf(apps);
    }

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 6001, 120, 30, 64 * 1024, 256 * 1024, 600,
                256 * 1024, 128 * 1024, 10, 0, 0, "", 0, 250, 20, 3000, 4000, 1000, 300, true,
                List.of(AppConfig.defaults("app-id", "app-key", "app-secret")));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, activityTimeoutSeconds, pongTimeoutSeconds, maxFrameBytes,
                maxHttpBodyBytes, timestampSkewSeconds, writeBufferHighWaterMark, writeBufferLowWaterMark,
                shutdownGraceSeconds, workerThreads, maxConnectionsPerIpPerSecond, trustedProxies,
                maxNodeConnections, webhookBatchMillis, webhookBatchMaxEvents,
                webhookLeaveDelayMillis, webhookTimeoutMillis, webhookQueueSize, webhookRetrySeconds,
                metricsEnabled, apps);
    }

    public ServerConfig withApps(List<AppConfig> newApps) {
        return new ServerConfig(host, port, activityTimeoutSeconds, pongTimeoutSeconds, maxFrameBytes,
                maxHttpBodyBytes, timestampSkewSeconds, writeBufferHighWaterMark, writeBufferLowWaterMark,
                shutdownGraceSeconds, workerThreads, maxConnectionsPerIpPerSecond, trustedProxies,
                maxNodeConnections, webhookBatchMillis, webhookBatchMaxEvents,
                webhookLeaveDelayMillis, webhookTimeoutMillis, webhookQueueSize, webhookRetrySeconds,
                metricsEnabled, newApps);
    }
}
