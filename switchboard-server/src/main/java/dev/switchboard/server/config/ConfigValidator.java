package dev.switchboard.server.config;

import dev.switchboard.server.config.ConfigLoader.ConfigException;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a built configuration as a whole: ranges, non-empty names, unique app ids and keys. Runs after all
 * sources are applied, because a value can only be judged against the others once every source has spoken
 * (the low water mark against the high one, say).
 */
final class ConfigValidator {
    private ConfigValidator() {}

    static void validate(ServerConfig c) {
        range("port", c.port(), 0, 65535);
        range("activity_timeout_seconds", c.activityTimeoutSeconds(), 1, Integer.MAX_VALUE);
        range("pong_timeout_seconds", c.pongTimeoutSeconds(), 1, Integer.MAX_VALUE);
        range("max_frame_bytes", c.maxFrameBytes(), 1, Integer.MAX_VALUE);
        range("max_http_body_bytes", c.maxHttpBodyBytes(), 1, Integer.MAX_VALUE);
        range("timestamp_skew_seconds", c.timestampSkewSeconds(), 0, Integer.MAX_VALUE);
        range("write_buffer_high_water_mark", c.writeBufferHighWaterMark(), 1, Integer.MAX_VALUE);
        range("write_buffer_low_water_mark", c.writeBufferLowWaterMark(), 0, c.writeBufferHighWaterMark());
        range("shutdown_grace_seconds", c.shutdownGraceSeconds(), 0, Integer.MAX_VALUE);
        range("shutdown_drain_seconds", c.shutdownDrainSeconds(), 0, 3600);
        range("worker_threads", c.workerThreads(), 0, 4096);
        range("tls_port", c.tlsPort(), -1, 65535);
        range("metrics_port", c.metricsPort(), -1, 65535);
        if (c.metricsPort() > 0 && (c.metricsPort() == c.port() || c.tls() && c.metricsPort() == c.tlsPort())) {
            throw new ConfigException("metrics_port must differ from port and tls_port (-1: no metrics listener; "
                    + "metrics_token serves /metrics on port)");
        }
        if (!c.metricsToken().isEmpty() && c.metricsToken().strip().length() < 16) {
            throw new ConfigException("metrics_token must have at least 16 characters (or be empty: no /metrics on port)");
        }
        if (c.tlsCert().isEmpty() != c.tlsKey().isEmpty()) {
            throw new ConfigException("tls_cert and tls_key go together: set both or neither");
        }
        if (!Set.of("auto", "epoll", "io_uring", "nio").contains(c.transport())) {
            throw new ConfigException("transport must be auto, epoll, io_uring or nio, got '" + c.transport() + "'");
        }
        if (!Set.of("auto", "openssl", "jdk").contains(c.tlsProvider())) {
            throw new ConfigException("tls_provider must be auto, openssl or jdk, got '" + c.tlsProvider() + "'");
        }
        if (!c.tls() && c.tlsPort() >= 0) {
            throw new ConfigException("tls_port is set but tls_cert and tls_key are not");
        }
        if (c.tls() && c.tlsPort() > 0 && c.tlsPort() == c.port()) {
            throw new ConfigException("tls_port must differ from port (or be -1 for TLS on port itself)");
        }
        for (ConfigSetting s : ConfigSetting.server()) {
            if (s.isInt() && !s.key().equals("tls_port") && !s.key().equals("metrics_port")) {
                range(s.key(), (Integer) ConfigRecords.read(c, s.component()), 0, Integer.MAX_VALUE);
            }
        }
        range("http_head_timeout_seconds", c.httpHeadTimeoutSeconds(), 1, 3600);
        range("http_body_timeout_seconds", c.httpBodyTimeoutSeconds(), 1, 3600);
        range("http_idle_timeout_seconds", c.httpIdleTimeoutSeconds(), 1, 3600);
        range("pending_changes_high_water_mark", c.pendingChangesHighWaterMark(), 2, Integer.MAX_VALUE);
        range("max_pending_changes", c.maxPendingChanges(), c.pendingChangesHighWaterMark(), Integer.MAX_VALUE);
        range("max_ban_seconds", c.maxBanSeconds(), 1, Integer.MAX_VALUE);
        range("startup_warmup_clients", c.startupWarmupClients(), 0, 100_000);
        TrustedProxies.parse(c.trustedProxies());
        if (!c.redisUrl().isEmpty() && !c.redisUrl().startsWith("redis://") && !c.redisUrl().startsWith("rediss://")) {
            throw new ConfigException("redis_url must start with redis:// or rediss://");
        }
        if (!c.redisUrl().isEmpty() && !c.redisCluster().isEmpty()) {
            throw new ConfigException("Set redis_url (one Redis) or redis_cluster (a Redis Cluster), not both");
        }
        if (c.redisPrefix().isEmpty() || c.redisPrefix().contains("{") || c.redisPrefix().contains("}")) {
            throw new ConfigException("redis_prefix must not be empty or hold braces, got '" + c.redisPrefix() + "'");
        }
        range("cluster_heartbeat_millis", c.clusterHeartbeatMillis(), 50, Integer.MAX_VALUE);
        range("cluster_node_timeout_millis", c.clusterNodeTimeoutMillis(), 2 * c.clusterHeartbeatMillis(),
                Integer.MAX_VALUE);
        if (!c.dashboardToken().isEmpty() && c.dashboardToken().strip().length() < 16) {
            throw new ConfigException("dashboard_token must have at least 16 characters (or be empty for a random one)");
        }
        if (c.host() == null || c.host().isBlank()) {
            throw new ConfigException("host must not be empty");
        }
        range("apps_cache_ttl_seconds", c.appsCacheTtlSeconds(), 1, Integer.MAX_VALUE);
        if (!c.redisCluster().isEmpty()) {
            for (String seed : c.redisCluster().split(",")) {
                if (!seed.startsWith("redis://") && !seed.startsWith("rediss://")) {
                    // the URL may hold a password: not echoed
                    throw new ConfigException("redis_cluster must be comma-separated redis:// or rediss:// URLs");
                }
            }
        }
        range("apps_db_pool_size", c.appsDbPoolSize(), 1, 64);
        range("apps_db_queue_size", c.appsDbQueueSize(), 1, Integer.MAX_VALUE);
        range("apps_miss_ttl_seconds", c.appsMissTtlSeconds(), 0, 3600);
        // HikariCP refuses waits under 250 ms.
        range("apps_db_timeout_millis", c.appsDbTimeoutMillis(), 250, 600_000);
        if (c.hasAppsDatabase() && !c.appsFrom().matches("(?i)(postgres|postgresql|mysql|mariadb)://.+")) {
            // Never echo the value: it may hold a password.
            throw new ConfigException("apps_from must be a postgresql://, mysql:// or mariadb:// URL");
        }
        // Spliced into SQL as it is (a table name cannot be a bind parameter), so only plain identifiers pass.
        if (!c.appsTable().matches("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?")) {
            throw new ConfigException("apps_table must be letters, digits and underscores (optionally schema.table), got '"
                    + c.appsTable() + "'");
        }
        if (c.appsMigrate() && !c.hasAppsDatabase()) {
            throw new ConfigException("apps_migrate needs apps_from (the database to create the apps table in)");
        }
        if (c.apps().isEmpty() && !c.hasAppsDatabase()) {
            throw new ConfigException("At least one app is required");
        }
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (AppConfig a : c.apps()) {
            if (!ids.add(a.id())) {
                throw new ConfigException("Two apps have the id '" + a.id() + "'");
            }
            if (!keys.add(a.key())) {
                throw new ConfigException("Two apps have the key '" + a.key() + "'");
            }
        }
    }

    static void validateApp(AppConfig a, String where) {
        for (String[] f : new String[][] {{"id", a.id()}, {"key", a.key()}, {"secret", a.secret()}}) {
            if (f[1] == null || f[1].isEmpty()) {
                throw new ConfigException(where + ": " + f[0] + " must not be empty");
            }
        }
        // Ids and keys are path segments of the HTTP API and the WebSocket URL, and ids parts of Redis keys.
        for (String[] f : new String[][] {{"id", a.id()}, {"key", a.key()}}) {
            String problem = AppNames.problem(f[1]);
            if (problem != null) {
                throw new ConfigException(where + ": the " + f[0] + " " + AppNames.shown(f[1]) + " " + problem
                        + "; an app id or key may hold " + AppNames.rule());
            }
        }
        if (a.userInboxMaxEvents() < 1) {
            throw new ConfigException(where + ": user_inbox_max_events must be at least 1, got " + a.userInboxMaxEvents());
        }
        // A window costs memory (or Redis) per channel and a replay per resume: both bounded here.
        if (a.channelResumeSeconds() < 0 || a.channelResumeSeconds() > 3600) {
            throw new ConfigException(where + ": channel_resume_seconds must be between 0 and 3600, got "
                    + a.channelResumeSeconds());
        }
        if (a.channelResumeMaxEvents() < 1 || a.channelResumeMaxEvents() > 10_000) {
            throw new ConfigException(where + ": channel_resume_max_events must be between 1 and 10000, got "
                    + a.channelResumeMaxEvents());
        }
        for (String prefix : a.channelResumePrefixes()) {
            if (prefix.isEmpty() || prefix.startsWith("#")) {
                throw new ConfigException(where + ": channel_resume_prefixes holds " + AppNames.shown(prefix)
                        + "; a prefix is a non-empty channel name start, not #server-to-user-");
            }
        }
        try {
            AllowedOrigins.of(a.allowedOrigins());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
        for (ConfigSetting s : ConfigSetting.app()) {
            if (s.isInt()) {
                int v = (Integer) ConfigRecords.read(a, s.component());
                if (v < -1) {
                    throw new ConfigException(where + ": " + s.key() + " must be -1 (no limit) or more, got " + v);
                }
            }
        }
    }

    private static void range(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + v);
        }
    }
}
