package dev.switchboard.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * soketi 1.6's environment variables ({@code SOKETI_*}, its {@code src/cli/cli.ts}) as ours: each one soketi
 * reads becomes the {@code SWITCHBOARD_*} variable that does the same here, so a soketi env file starts a node
 * unchanged; a {@code SWITCHBOARD_*} variable set as well wins. What has no equivalent is named in one warning
 * ({@link Translation#warning}); what needs none (versions of database drivers, pool minimums, request
 * timeouts of soketi's request/reply between nodes, which Switchboard does not do) is accepted silently. The
 * table of every variable is docs/migrating-from-soketi.md.
 *
 * <p>As in soketi, an empty variable counts as unset, values may be JSON, and durations are milliseconds.
 */
public final class SoketiEnv {
    public static final String PREFIX = "SOKETI_";

    /** Read by soketi, nothing to do here: the behaviour they tune is the same or absent by design. */
    private static final Set<String> NOT_NEEDED = Set.of(
            "APP_MANAGER_MYSQL_VERSION", "APP_MANAGER_POSTGRES_VERSION", "APP_MANAGER_MYSQL_USE_V2",
            "DB_POOLING_ENABLED", "DB_POOLING_MIN", "ADAPTER_REDIS_REQUESTS_TIMEOUT",
            "ADAPTER_CLUSTER_REQUESTS_TIMEOUT", "ADAPTER_REDIS_SUB_OPTIONS", "ADAPTER_REDIS_PUB_OPTIONS",
            "CACHE_DRIVER", "CACHE_REDIS_CLUSTER_MODE", "CACHE_REDIS_OPTIONS", "MODE", "METRICS_DRIVER",
            "QUEUE_DRIVER", "QUEUE_REDIS_CONCURRENCY", "QUEUE_REDIS_OPTIONS", "QUEUE_REDIS_CLUSTER_MODE",
            "RATE_LIMITER_DRIVER", "RATE_LIMITER_REDIS_OPTIONS", "RATE_LIMITER_REDIS_CLUSTER_MODE",
            "WEBHOOKS_BATCHING", "DB_REDIS_INSTANCE_NAME");

    /**
     * @param env      the {@code SWITCHBOARD_*} variables standing for the soketi ones
     * @param ignored  soketi variables set but not honoured, each with why; empty when all were
     */
    public record Translation(Map<String, String> env, Map<String, String> ignored) {
        /** The one start-up warning, or null when nothing was left out. */
        public String warning() {
            if (ignored.isEmpty()) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            ignored.forEach((name, why) -> parts.add(name + " (" + why + ")"));
            return "soketi settings not honoured: " + String.join("; ", parts)
                    + ". See docs/migrating-from-soketi.md";
        }
    }

    private final Map<String, String> soketi = new LinkedHashMap<>();
    private final Map<String, String> out = new LinkedHashMap<>();
    private final Map<String, String> ignored = new LinkedHashMap<>();
    private final Set<String> used = new TreeSet<>();

    private SoketiEnv(Map<String, String> env) {
        for (String name : new TreeSet<>(env.keySet())) {
            String v = env.get(name);
            if (name.startsWith(PREFIX) && v != null && !v.isEmpty()) {
                soketi.put(name.substring(PREFIX.length()), v);
            }
        }
    }

    /** True when the environment holds any non-empty {@code SOKETI_*} variable. */
    public static boolean present(Map<String, String> env) {
        return !new SoketiEnv(env).soketi.isEmpty();
    }

    public static Translation translate(Map<String, String> env) {
        SoketiEnv t = new SoketiEnv(env);
        t.server();
        t.apps();
        t.redis();
        t.limits();
        for (String name : t.soketi.keySet()) {
            if (!t.used.contains(name) && !NOT_NEEDED.contains(name) && !t.ignored.containsKey(PREFIX + name)) {
                t.ignored.put(PREFIX + name, "no equivalent");
            }
        }
        return new Translation(Map.copyOf(t.out), t.ignored);
    }

    // ---------------------------------------------------------------- groups

    private void server() {
        copy("HOST", "SWITCHBOARD_HOST");
        copy("PORT", "SWITCHBOARD_PORT");
        copy("SSL_CERT", "SWITCHBOARD_TLS_CERT");
        copy("SSL_KEY", "SWITCHBOARD_TLS_KEY");
        unsupported("SSL_PASS", "the key must be unencrypted PKCS#8");
        unsupported("SSL_CA", "put the chain into the certificate file");
        copy("METRICS_ENABLED", "SWITCHBOARD_METRICS_ENABLED");
        copy("METRICS_HOST", "SWITCHBOARD_METRICS_HOST");
        copy("METRICS_SERVER_PORT", "SWITCHBOARD_METRICS_PORT");
        if (!"soketi_".equals(get("METRICS_PROMETHEUS_PREFIX", "soketi_"))) {
            unsupported("METRICS_PROMETHEUS_PREFIX", "metric names are switchboard_*");
        } else {
            used.add("METRICS_PROMETHEUS_PREFIX");
        }
        convert("SHUTDOWN_GRACE_PERIOD", "SWITCHBOARD_SHUTDOWN_GRACE_SECONDS", SoketiEnv::millisToSeconds);
        if (truthy(get("WEBHOOKS_BATCHING", "false"))) {
            copy("WEBHOOKS_BATCHING_DURATION", "SWITCHBOARD_WEBHOOK_BATCH_MILLIS");
        } else {
            used.add("WEBHOOKS_BATCHING_DURATION");
        }
        if (!"full".equals(get("MODE", "full"))) {
            unsupported("MODE", "every node serves WebSockets and the HTTP API");
        }
        if (!"prometheus".equals(get("METRICS_DRIVER", "prometheus"))) {
            unsupported("METRICS_DRIVER", "metrics are Prometheus text");
        }
        unsupported("PATH_PREFIX", "paths are Pusher's, at the root");
        unsupported("DEBUG", "use SWITCHBOARD_LOG_LEVEL=debug");
        unsupported("HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD", "no memory threshold; limits are by count");
        for (String q : List.of("QUEUE_SQS_REGION", "QUEUE_SQS_CLIENT_OPTIONS", "QUEUE_SQS_URL", "QUEUE_SQS_ENDPOINT",
                "QUEUE_SQS_PROCESS_BATCH", "QUEUE_SQS_BATCH_SIZE", "QUEUE_SQS_POLLING_WAIT_TIME_MS")) {
            unsupported(q, "webhooks are sent by the node itself");
        }
    }

    private void apps() {
        String driver = get("APP_MANAGER_DRIVER", "array");
        used.add("APP_MANAGER_DRIVER");
        switch (driver) {
            case "array":
                defaultApp();
                break;
            case "mysql":
            case "postgres":
                database(driver);
                break;
            default:
                ignored.put(PREFIX + "APP_MANAGER_DRIVER", driver + " is not supported; apps come from the config,"
                        + " PostgreSQL or MySQL");
        }
        if (truthy(get("APP_MANAGER_CACHE_ENABLED", "false"))) {
            convert("APP_MANAGER_CACHE_TTL", "SWITCHBOARD_APPS_CACHE_TTL_SECONDS",
                    v -> Integer.toString(Math.max(1, Integer.parseInt(v))));
        }
        used.add("APP_MANAGER_CACHE_ENABLED");
        used.add("APP_MANAGER_CACHE_TTL");
        for (String d : List.of("APP_MANAGER_DYNAMODB_TABLE", "APP_MANAGER_DYNAMODB_REGION", "APP_MANAGER_DYNAMODB_ENDPOINT")) {
            unsupported(d, "no DynamoDB app manager");
        }
    }

    /** soketi's default app; its defaults differ from ours for client messages (off) and their rate (none). */
    private void defaultApp() {
        copy("DEFAULT_APP_ID", "SWITCHBOARD_APP_ID");
        copy("DEFAULT_APP_KEY", "SWITCHBOARD_APP_KEY");
        copy("DEFAULT_APP_SECRET", "SWITCHBOARD_APP_SECRET");
        copy("DEFAULT_APP_ENABLED", "SWITCHBOARD_APP_ENABLED");
        copy("DEFAULT_APP_MAX_CONNS", "SWITCHBOARD_APP_MAX_CONNECTIONS");
        out.put("SWITCHBOARD_APP_ENABLE_CLIENT_MESSAGES", get("DEFAULT_APP_ENABLE_CLIENT_MESSAGES", "false"));
        used.add("DEFAULT_APP_ENABLE_CLIENT_MESSAGES");
        out.put("SWITCHBOARD_APP_MAX_CLIENT_EVENTS_PER_SECOND", get("DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC", "-1"));
        used.add("DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC");
        copy("DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC", "SWITCHBOARD_APP_MAX_API_REQUESTS_PER_SECOND");
        if (!"-1".equals(get("DEFAULT_APP_MAX_READ_REQ_PER_SEC", "-1"))) {
            unsupported("DEFAULT_APP_MAX_READ_REQ_PER_SEC", "one budget, max_api_requests_per_second, covers reads and writes");
        }
        used.add("DEFAULT_APP_MAX_READ_REQ_PER_SEC");
        copy("DEFAULT_APP_USER_AUTHENTICATION", "SWITCHBOARD_APP_REQUIRE_AUTHORIZED_CONNECTIONS");
        convert("USER_AUTHENTICATION_TIMEOUT", "SWITCHBOARD_APP_USER_AUTHENTICATION_TIMEOUT_SECONDS",
                SoketiEnv::millisToSeconds);
        if (soketi.containsKey("DEFAULT_APP_WEBHOOKS")) {
            out.put("SWITCHBOARD_APP_WEBHOOKS", SoketiWebhooks.translate(soketi.get("DEFAULT_APP_WEBHOOKS"),
                    why -> ignored.put(PREFIX + "DEFAULT_APP_WEBHOOKS", why)));
            used.add("DEFAULT_APP_WEBHOOKS");
        }
    }

    private void database(String driver) {
        boolean mysql = driver.equals("mysql");
        String db = mysql ? "DB_MYSQL_" : "DB_POSTGRES_";
        // soketi's own defaults (src/server.ts), so an env file that relied on them still points where it did.
        String user = get(db + "USERNAME", mysql ? "root" : "postgres");
        String password = get(db + "PASSWORD", "password");
        String host = get(db + "HOST", "127.0.0.1");
        String port = get(db + "PORT", mysql ? "3306" : "5432");
        String name = get(db + "DATABASE", "main");
        for (String k : List.of("USERNAME", "PASSWORD", "HOST", "PORT", "DATABASE")) {
            used.add(db + k);
        }
        out.put("SWITCHBOARD_APPS_FROM", (mysql ? "mysql" : "postgresql") + "://" + encode(user) + ":" + encode(password)
                + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + encode(name));
        copy(mysql ? "APP_MANAGER_MYSQL_TABLE" : "APP_MANAGER_POSTGRES_TABLE", "SWITCHBOARD_APPS_TABLE");
        if (!soketi.containsKey(mysql ? "APP_MANAGER_MYSQL_TABLE" : "APP_MANAGER_POSTGRES_TABLE")) {
            out.put("SWITCHBOARD_APPS_TABLE", "apps");
        }
        copy("DB_POOLING_MAX", "SWITCHBOARD_APPS_DB_POOL_SIZE");
        unsupported("USER_AUTHENTICATION_TIMEOUT", "server-wide default for database apps: here per app, 30 s");
        // The other driver's variables are read by soketi only for that driver: nothing lost.
        String other = mysql ? "DB_POSTGRES_" : "DB_MYSQL_";
        for (String k : List.of("USERNAME", "PASSWORD", "HOST", "PORT", "DATABASE")) {
            used.add(other + k);
        }
        used.add(mysql ? "APP_MANAGER_POSTGRES_TABLE" : "APP_MANAGER_MYSQL_TABLE");
        for (String k : soketi.keySet()) {
            // soketi reads the default app only with the array driver.
            if (k.startsWith("DEFAULT_APP_")) {
                used.add(k);
            }
        }
    }

    private void redis() {
        String driver = get("ADAPTER_DRIVER", "local");
        used.add("ADAPTER_DRIVER");
        List<String> conn = List.of("DB_REDIS_HOST", "DB_REDIS_PORT", "DB_REDIS_DB", "DB_REDIS_USERNAME",
                "DB_REDIS_PASSWORD", "DB_REDIS_CLUSTER_NODES", "DB_REDIS_KEY_PREFIX", "ADAPTER_REDIS_PREFIX",
                "ADAPTER_REDIS_CLUSTER_MODE");
        if (!driver.equals("redis")) {
            if (!driver.equals("local")) {
                ignored.put(PREFIX + "ADAPTER_DRIVER", driver + " is not supported: this node runs alone;"
                        + " use the redis adapter for a cluster");
            }
            used.addAll(conn);
            for (String k : soketi.keySet()) {
                if (k.startsWith("ADAPTER_NATS_")) {
                    used.add(k);
                }
            }
            return;
        }
        used.addAll(conn);
        String prefix = get("ADAPTER_REDIS_PREFIX", get("DB_REDIS_KEY_PREFIX", ""));
        prefix = prefix.replaceAll("[{}:]+$", "").replaceAll("[{}]", "");
        if (!prefix.isEmpty()) {
            out.put("SWITCHBOARD_REDIS_PREFIX", prefix);
        }
        String user = get("DB_REDIS_USERNAME", "");
        String password = get("DB_REDIS_PASSWORD", "");
        String auth = password.isEmpty() ? "" : encode(user) + ":" + encode(password) + "@";
        if (truthy(get("ADAPTER_REDIS_CLUSTER_MODE", "false"))) {
            List<String> urls = new ArrayList<>();
            JsonNode nodes = json(get("DB_REDIS_CLUSTER_NODES", "[]"));
            for (JsonNode n : nodes) {
                String hostPort = n.isObject() ? n.path("host").asText() + ":" + n.path("port").asText("6379") : n.asText();
                urls.add("redis://" + auth + hostPort.replaceFirst("^redis://", ""));
            }
            if (urls.isEmpty()) {
                ignored.put(PREFIX + "ADAPTER_REDIS_CLUSTER_MODE", "no SOKETI_DB_REDIS_CLUSTER_NODES given");
            } else {
                out.put("SWITCHBOARD_REDIS_CLUSTER", String.join(",", urls));
            }
        } else {
            out.put("SWITCHBOARD_REDIS_URL", "redis://" + auth + get("DB_REDIS_HOST", "127.0.0.1") + ":"
                    + get("DB_REDIS_PORT", "6379") + "/" + get("DB_REDIS_DB", "0"));
        }
        unsupported("DB_REDIS_SENTINELS", "no Sentinel support; point redis_url at the primary");
        unsupported("DB_REDIS_SENTINEL_PASSWORD", "no Sentinel support");
    }

    /** soketi's server-wide limits: here per app, so they reach the default app (the config's apps keep theirs). */
    private void limits() {
        boolean array = get("APP_MANAGER_DRIVER", "array").equals("array");
        Map<String, String[]> limits = new LinkedHashMap<>();
        limits.put("EVENT_MAX_BATCH_SIZE", new String[] {"SWITCHBOARD_APP_MAX_BATCH_EVENTS", "1"});
        limits.put("EVENT_MAX_CHANNELS_AT_ONCE", new String[] {"SWITCHBOARD_APP_MAX_CHANNELS_PER_TRIGGER", "1"});
        limits.put("EVENT_MAX_NAME_LENGTH", new String[] {"SWITCHBOARD_APP_MAX_EVENT_NAME_LENGTH", "1"});
        limits.put("EVENT_MAX_SIZE_IN_KB", new String[] {"SWITCHBOARD_APP_MAX_EVENT_DATA_BYTES", "1024"});
        limits.put("CHANNEL_LIMITS_MAX_NAME_LENGTH", new String[] {"SWITCHBOARD_APP_MAX_CHANNEL_NAME_LENGTH", "1"});
        limits.put("CHANNEL_CACHE_TTL", new String[] {"SWITCHBOARD_APP_CACHE_TTL_SECONDS", "1"});
        limits.put("PRESENCE_MAX_MEMBERS", new String[] {"SWITCHBOARD_APP_MAX_PRESENCE_MEMBERS", "1"});
        limits.put("PRESENCE_MAX_MEMBER_SIZE", new String[] {"SWITCHBOARD_APP_MAX_PRESENCE_USER_INFO_BYTES", "1024"});
        for (Map.Entry<String, String[]> e : limits.entrySet()) {
            if (!soketi.containsKey(e.getKey())) {
                continue;
            }
            if (!array) {
                unsupported(e.getKey(), "server-wide defaults for database apps: set the table's column instead");
                continue;
            }
            int factor = Integer.parseInt(e.getValue()[1]);
            convert(e.getKey(), e.getValue()[0], v -> Long.toString(Math.round(Double.parseDouble(v) * factor)));
        }
    }

    // ---------------------------------------------------------------- helpers

    private String get(String name, String fallback) {
        String v = soketi.get(name);
        return v == null ? fallback : v;
    }

    private void copy(String name, String ours) {
        convert(name, ours, Function.identity());
    }

    private void convert(String name, String ours, Function<String, String> f) {
        String v = soketi.get(name);
        used.add(name);
        if (v == null) {
            return;
        }
        try {
            out.put(ours, f.apply(v.trim()));
        } catch (NumberFormatException e) {
            throw new ConfigLoader.ConfigException("Environment variable " + PREFIX + name + ": '" + v
                    + "' is not a number");
        }
    }

    private void unsupported(String name, String why) {
        used.add(name);
        if (soketi.containsKey(name)) {
            ignored.put(PREFIX + name, why);
        }
    }

    /** soketi JSON-parses every value and tests it for truth. */
    static boolean truthy(String v) {
        String t = v.trim();
        return !(t.isEmpty() || t.equals("false") || t.equals("0") || t.equals("null"));
    }

    private static String millisToSeconds(String v) {
        return Long.toString(Math.max(1, (Long.parseLong(v) + 999) / 1000));
    }

    private static JsonNode json(String text) {
        try {
            return ConfigValues.JSON.readTree(text);
        } catch (Exception e) {
            throw new ConfigLoader.ConfigException("soketi value is not valid JSON: " + text);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
