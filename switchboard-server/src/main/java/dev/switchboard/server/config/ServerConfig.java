package dev.switchboard.server.config;

import java.util.List;

/**
 * The whole, immutable configuration tree of one node. Built by {@link ConfigLoader} from defaults, a config
 * file, environment variables and flags (later sources win).
 */
public record ServerConfig(
        String host,
        int port,
        /** PEM certificate chain and PKCS#8 PEM key; both empty: no TLS. */
        String tlsCert,
        String tlsKey,
        /** -1: TLS on {@code port}; otherwise a second, TLS-only port and {@code port} stays plain (0: free port). */
        int tlsPort,
        /** auto (OpenSSL when netty-tcnative loads, else the JDK), openssl or jdk. */
        String tlsProvider,
        /** How often the certificate files are checked for a change (0: only on SIGHUP). */
        int tlsWatchSeconds,
        /** Sent in {@code connection_established}; also how long a socket may be silent before we ping it. */
        int activityTimeoutSeconds,
        /** After our ping, how long we wait for any frame before closing 4201. */
        int pongTimeoutSeconds,
        /** Largest WebSocket frame accepted; a larger one closes the socket (1009). */
        int maxFrameBytes,
        /** Largest HTTP request body accepted; larger is 413. */
        int maxHttpBodyBytes,
        /** After a 413, how much of the rest of the body is read and thrown away before the connection closes. */
        int maxHttpDiscardBytes,
        /** Allowed distance between {@code auth_timestamp} and the server clock (Pusher: 600 s). */
        int timestampSkewSeconds,
        /** Outbound buffer per socket: over the high mark the client is closed as a slow consumer. */
        int writeBufferHighWaterMark,
        int writeBufferLowWaterMark,
        /** On SIGTERM, how long in-flight HTTP requests and closing sockets get after the drain. */
        int shutdownGraceSeconds,
        /** On SIGTERM, the window over which the node's WebSockets are closed with 4200 (0: all at once). */
        int shutdownDrainSeconds,
        /** Event-loop threads for sockets; 0 means one per core. */
        int workerThreads,
        /** Socket transport: auto (epoll when it loads, else NIO), epoll, io_uring or nio. */
        String transport,
        /** New WebSocket connections one client address may open per second (0: no limit); over it the upgrade gets 429. */
        int maxConnectionsPerIpPerSecond,
        /** Proxies whose X-Forwarded-For names the client (comma-separated addresses or CIDR ranges). */
        String trustedProxies,
        /** WebSocket connections this node holds at most, all apps together (0: no limit); over it: close 4100. */
        int maxNodeConnections,
        /** Before the upgrade: a request head must be complete this long after the connection or its first byte. */
        int httpHeadTimeoutSeconds,
        /** A request body must be complete this long after its head. */
        int httpBodyTimeoutSeconds,
        /** ...and arrive at least this fast on average (after a 5 s grace), else the connection closes. */
        int httpBodyMinBytesPerSecond,
        /** A keep-alive HTTP connection with no request under way closes after this long. */
        int httpIdleTimeoutSeconds,
        /** Connections not yet upgraded (HTTP), all addresses together; more are closed at accept. */
        int maxHttpConnections,
        /** Connections not yet upgraded from one client address (IPv6: one /64); more are closed at accept. */
        int maxHttpConnectionsPerIp,
        /** Per WebSocket: state changes waiting for the shared state above which the socket is not read. */
        int pendingChangesHighWaterMark,
        /** Per WebSocket: state changes waiting beyond which a frame is refused with pusher:error 4301. */
        int maxPendingChanges,
        /** Per WebSocket: subscribe and unsubscribe frames per second (bursts: this plus max_channels_per_connection). */
        int maxSubscriptionChangesPerSecond,
        /** Longest ban terminate_connections may set ({@code ban_seconds}); longer is a 400. */
        int maxBanSeconds,
        /** Webhook batching window and the delay for channel_vacated / member_removed. */
        int webhookBatchMillis,
        int webhookBatchMaxEvents,
        int webhookLeaveDelayMillis,
        int webhookTimeoutMillis,
        int webhookQueueSize,
        int webhookRetrySeconds,
        /** One node without Redis: a directory for the webhook journal, replayed at start; empty: memory only. */
        String webhookJournalDir,
        boolean metricsEnabled,
        /** Own listener for {@code GET /metrics}: 9601 by default, -1 none, 0 a free port. */
        int metricsPort,
        /** Where that listener binds; empty: {@code host}. */
        String metricsHost,
        /** Empty: no {@code /metrics} on {@code port}. Else that path serves it to {@code Bearer <token>} only. */
        String metricsToken,
        /** Where more apps come from: a postgresql:// or mysql:// / mariadb:// URL; empty for none. */
        String appsFrom,
        /** The apps table in that database: ours, or soketi's own (its columns are read as they are). */
        String appsTable,
        /** Create the apps table (and on PostgreSQL its NOTIFY trigger) at start-up when missing. */
        boolean appsMigrate,
        /** How long a database app is trusted before it is read again. */
        int appsCacheTtlSeconds,
        /** Connections to the apps database, and threads that wait on it (never an event loop). */
        int appsDbPoolSize,
        /** Bound on one apps-database call; an app not cached is refused as unknown after at most this. */
        int appsDbTimeoutMillis,
        /** Look-ups waiting for the apps database; more are refused as over capacity. */
        int appsDbQueueSize,
        /** How long an id or key the apps database did not know is answered as unknown without asking again. */
        int appsMissTtlSeconds,
        /** Unknown ids and keys remembered at most (past it new ones are not remembered; the rate below still holds). */
        int appsMissCacheSize,
        /** Apps-database look-ups one client address may cause per second (0: no limit); over it: 4100 or HTTP 429. */
        int maxAppsDbLookupsPerIpPerSecond,
        /** Serve the operator's dashboard at {@code /dashboard} (off with {@code --no-dashboard}). */
        boolean dashboardEnabled,
        /** Bearer token of the dashboard; empty: a random one is made at start and logged. */
        String dashboardToken,
        /** Events per second one dashboard console stream carries; the rest are counted as skipped. */
        int dashboardConsoleEventsPerSecond,
        /**
         * Empty: no Redis Cluster. Else its seed URLs, comma-separated: this node is a cluster member on it, with
         * sharded pub/sub (docs/cluster.md).
         */
        String redisCluster,
        /** Empty: no single Redis. Else the Redis that makes this node a cluster member (docs/cluster.md). */
        String redisUrl,
        String redisPrefix,
        int clusterHeartbeatMillis,
        int clusterNodeTimeoutMillis,
        /** On a Redis Cluster: how long a presence join or leave waits for a shard that does not answer. */
        int redisPresenceHoldMillis,
        /**
         * Clients a node runs through a private copy of itself once it listens, /up answering 503 meanwhile (connect,
         * sign-in, presence join, close), so that its first real clients find the connect path compiled
         * (docs/performance.md); 0: none.
         */
        int startupWarmupClients,
        /**
         * epoll and io_uring: one listening socket per event loop on the client port (SO_REUSEPORT), each loop
         * accepting its own connections; false: one acceptor thread handing them out (always so on NIO).
         */
        boolean listenPerEventLoop,
        List<AppConfig> apps) {

    public ServerConfig {
        apps = List.copyOf(apps);
        dashboardToken = dashboardToken == null ? "" : dashboardToken;
        metricsHost = metricsHost == null ? "" : metricsHost;
        metricsToken = metricsToken == null ? "" : metricsToken;
        webhookJournalDir = webhookJournalDir == null ? "" : webhookJournalDir;
    }

    /** soketi's and Sockudo's metrics port; when it is taken the node warns and serves no metrics listener. */
    public static final int DEFAULT_METRICS_PORT = 9601;
    /** Switchboard's own apps table; also the PostgreSQL channel its trigger notifies. */
    public static final String DEFAULT_APPS_TABLE = "switchboard_apps";
    /** Redis Cluster's default failover takes about 30 s (twice its 15 s cluster-node-timeout): that and a margin. */
    public static final int DEFAULT_REDIS_PRESENCE_HOLD_MILLIS = 60_000;

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 6001, "", "", -1, "auto", 10, 120, 30, 64 * 1024, 256 * 1024, 1024 * 1024,
                600, 256 * 1024, 128 * 1024, 10, 5, 0, "auto", 0, "", 0, 10, 30, 1024, 60, 4096, 256, 64, 2048, 100,
                86_400, 250, 20, 3000, 4000, 1000, 300, "", true,
                DEFAULT_METRICS_PORT, "", "", "", DEFAULT_APPS_TABLE, false, 10, 4, 2000, 1000, 5, 10_000, 20, true, "", 200, "",
                "", "switchboard", 1000, 5000, DEFAULT_REDIS_PRESENCE_HOLD_MILLIS, 0, false,
                List.of(AppConfig.defaults("app-id", "app-key", "app-secret")));
    }

    public ServerConfig withPort(int newPort) {
        return with("port", newPort);
    }

    /** A cluster member on the single Redis at {@code url}. */
    public ServerConfig withRedis(String url) {
        return with("redis_url", url);
    }

    /** Apps also from the database at {@code url}, cached for {@code ttlSeconds}; creates the table when missing. */
    /** A cluster member on the Redis Cluster with these seed URLs (comma-separated). */
    public ServerConfig withRedisCluster(String urls) {
        return with("redis_cluster", urls);
    }

    public ServerConfig withAppsFrom(String url, boolean migrate, int ttlSeconds) {
        return with("apps_from", url).with("apps_migrate", migrate).with("apps_cache_ttl_seconds", ttlSeconds);
    }

    /** True when apps also come from a database. */
    public boolean hasAppsDatabase() {
        return appsFrom != null && !appsFrom.isBlank();
    }

    public ServerConfig withDashboard(boolean enabled, String token) {
        return with("dashboard_enabled", enabled).with("dashboard_token", token);
    }

    /** Where the metrics listener binds. */
    public String metricsBindHost() {
        return metricsHost.isEmpty() ? host : metricsHost;
    }

    /** Whether TLS is configured. */
    public boolean tls() {
        return !tlsCert.isEmpty() || !tlsKey.isEmpty();
    }

    public ServerConfig withApps(List<AppConfig> newApps) {
        return with("apps", newApps);
    }

    /**
     * A copy with one setting changed, by its file key ({@code "tls_cert"}). By name rather than through the
     * canonical constructor, so that adding a setting does not mean editing every copy method.
     */
    public ServerConfig with(String key, Object value) {
        return ConfigRecords.copyWith(this, ConfigSetting.server(), key, value);
    }
}
