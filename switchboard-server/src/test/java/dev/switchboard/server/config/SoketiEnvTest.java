package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** soketi 1.6's environment read as ours (docs/migrating-from-soketi.md); the node-level test is soketi-migration.test.mjs. */
class SoketiEnvTest {

    private static ServerConfig load(Map<String, String> env, List<String> warnings) {
        return ConfigLoader.load(new String[0], env, warnings::add);
    }

    @Test
    void theDefaultAppServerAndLimitsOfTheArrayDriver() {
        Map<String, String> env = new HashMap<>();
        env.put("SOKETI_PORT", "7001");
        env.put("SOKETI_HOST", "127.0.0.1");
        env.put("SOKETI_DEFAULT_APP_ID", "42");
        env.put("SOKETI_DEFAULT_APP_KEY", "k");
        env.put("SOKETI_DEFAULT_APP_SECRET", "s");
        env.put("SOKETI_DEFAULT_APP_MAX_CONNS", "100");
        env.put("SOKETI_DEFAULT_APP_USER_AUTHENTICATION", "true");
        env.put("SOKETI_USER_AUTHENTICATION_TIMEOUT", "1500");
        env.put("SOKETI_EVENT_MAX_SIZE_IN_KB", "0.5");
        env.put("SOKETI_PRESENCE_MAX_MEMBER_SIZE", "2");
        env.put("SOKETI_PRESENCE_MAX_MEMBERS", "50");
        env.put("SOKETI_SHUTDOWN_GRACE_PERIOD", "3000");
        env.put("SOKETI_METRICS_ENABLED", "false");
        env.put("SOKETI_DEBUG", ""); // empty counts as unset, as in soketi
        List<String> warnings = new ArrayList<>();
        ServerConfig c = load(env, warnings);

        assertThat(warnings).isEmpty();
        assertThat(c.port()).isEqualTo(7001);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.shutdownGraceSeconds()).isEqualTo(3);
        assertThat(c.metricsEnabled()).isFalse();
        AppConfig app = c.apps().get(0);
        assertThat(c.apps()).hasSize(1);
        assertThat(app.id()).isEqualTo("42");
        assertThat(app.key()).isEqualTo("k");
        assertThat(app.secret()).isEqualTo("s");
        assertThat(app.maxConnections()).isEqualTo(100);
        assertThat(app.requireAuthorizedConnections()).isTrue();
        assertThat(app.userAuthenticationTimeoutSeconds()).isEqualTo(2);
        assertThat(app.maxEventDataBytes()).isEqualTo(512);
        assertThat(app.maxPresenceUserInfoBytes()).isEqualTo(2048);
        assertThat(app.maxPresenceMembers()).isEqualTo(50);
        // soketi's defaults for what the env leaves out: client messages off, client events unlimited.
        assertThat(app.enableClientMessages()).isFalse();
        assertThat(app.maxClientEventsPerSecond()).isEqualTo(-1);
    }

    @Test
    void ourOwnVariablesWinOverSoketis() {
        ServerConfig c = load(Map.of("SOKETI_PORT", "7001", "SWITCHBOARD_PORT", "7002",
                "SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES", "false", "SWITCHBOARD_APP_ENABLE_CLIENT_MESSAGES", "true"),
                new ArrayList<>());
        assertThat(c.port()).isEqualTo(7002);
        assertThat(c.apps().get(0).enableClientMessages()).isTrue();
    }

    @Test
    void theMysqlAppManagerIsTheAppsDatabaseAndItsTableWithNoDefaultApp() {
        Map<String, String> env = Map.of(
                "SOKETI_APP_MANAGER_DRIVER", "mysql",
                "SOKETI_DB_MYSQL_HOST", "db.internal",
                "SOKETI_DB_MYSQL_USERNAME", "soketi",
                "SOKETI_DB_MYSQL_PASSWORD", "p@ss word",
                "SOKETI_DB_MYSQL_DATABASE", "realtime",
                "SOKETI_APP_MANAGER_MYSQL_TABLE", "soketi_apps",
                "SOKETI_APP_MANAGER_CACHE_ENABLED", "true",
                "SOKETI_APP_MANAGER_CACHE_TTL", "60",
                "SOKETI_DB_POOLING_MAX", "5",
                "SOKETI_DEFAULT_APP_ID", "ignored-by-soketi-too");
        List<String> warnings = new ArrayList<>();
        ServerConfig c = load(env, warnings);
        assertThat(warnings).isEmpty();
        assertThat(c.appsFrom()).isEqualTo("mysql://soketi:p%40ss%20word@db.internal:3306/realtime");
        assertThat(c.appsTable()).isEqualTo("soketi_apps");
        assertThat(c.appsCacheTtlSeconds()).isEqualTo(60);
        assertThat(c.appsDbPoolSize()).isEqualTo(5);
        assertThat(c.apps()).isEmpty();
    }

    @Test
    void thePostgresAppManagerUsesSoketisDefaultsForWhatIsLeftOut() {
        ServerConfig c = load(Map.of("SOKETI_APP_MANAGER_DRIVER", "postgres"), new ArrayList<>());
        assertThat(c.appsFrom()).isEqualTo("postgresql://postgres:password@127.0.0.1:5432/main");
        assertThat(c.appsTable()).isEqualTo("apps");
    }

    @Test
    void theRedisAdapterMakesAClusterMember() {
        ServerConfig c = load(Map.of("SOKETI_ADAPTER_DRIVER", "redis", "SOKETI_DB_REDIS_HOST", "redis.internal",
                "SOKETI_DB_REDIS_PORT", "6380", "SOKETI_DB_REDIS_DB", "2", "SOKETI_DB_REDIS_PASSWORD", "pw",
                "SOKETI_ADAPTER_REDIS_PREFIX", "prod"), new ArrayList<>());
        assertThat(c.redisUrl()).isEqualTo("redis://:pw@redis.internal:6380/2");
        assertThat(c.redisPrefix()).isEqualTo("prod");

        ServerConfig cluster = load(Map.of("SOKETI_ADAPTER_DRIVER", "redis", "SOKETI_ADAPTER_REDIS_CLUSTER_MODE", "true",
                "SOKETI_DB_REDIS_CLUSTER_NODES", "[\"10.0.0.1:7000\", {\"host\": \"10.0.0.2\", \"port\": 7001}]"),
                new ArrayList<>());
        assertThat(cluster.redisCluster()).isEqualTo("redis://10.0.0.1:7000,redis://10.0.0.2:7001");
        assertThat(cluster.redisUrl()).isEmpty();

        // The local adapter (soketi's default) leaves the node alone, whatever Redis variables are around.
        assertThat(load(Map.of("SOKETI_DB_REDIS_HOST", "x"), new ArrayList<>()).redisUrl()).isEmpty();
    }

    @Test
    void whatCannotBeHonouredIsOneWarningNamingEach() {
        Map<String, String> env = new HashMap<>();
        env.put("SOKETI_ADAPTER_DRIVER", "nats");
        env.put("SOKETI_ADAPTER_NATS_SERVERS", "[\"nats:4222\"]");
        env.put("SOKETI_APP_MANAGER_DRIVER", "postgres");
        env.put("SOKETI_EVENT_MAX_SIZE_IN_KB", "200");
        env.put("SOKETI_PATH_PREFIX", "/ws");
        env.put("SOKETI_SSL_PASS", "x");
        env.put("SOKETI_NO_SUCH_THING", "1");
        env.put("SOKETI_APP_MANAGER_POSTGRES_VERSION", "14"); // nothing to do: silent
        List<String> warnings = new ArrayList<>();
        load(env, warnings);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("soketi settings not honoured: ")
                .contains("SOKETI_ADAPTER_DRIVER (nats is not supported")
                .contains("SOKETI_EVENT_MAX_SIZE_IN_KB (server-wide defaults for database apps")
                .contains("SOKETI_PATH_PREFIX").contains("SOKETI_SSL_PASS").contains("SOKETI_NO_SUCH_THING (no equivalent)")
                .doesNotContain("NATS_SERVERS").doesNotContain("POSTGRES_VERSION").doesNotContain("=x");
    }

    @Test
    void soketiWebhooksBecomeOursAndUnsupportedOnesAreLeftOutAndNamed() {
        String hooks = "[{\"url\": \"https://a.example/hook\", \"event_types\": [\"member_added\"],"
                + " \"headers\": {\"X-T\": \"1\"}, \"filter\": {\"channel_name_starts_with\": \"presence-\"}},"
                + " {\"url\": \"https://b.example/hook\", \"event_types\": [], \"filter\": {\"channel_name_ends_with\": \"-x\"}},"
                + " {\"lambda_function\": \"f\", \"event_types\": []}]";
        List<String> warnings = new ArrayList<>();
        ServerConfig c = load(Map.of("SOKETI_DEFAULT_APP_WEBHOOKS", hooks), warnings);
        List<WebhookConfig> got = c.apps().get(0).webhooks();
        assertThat(got).containsExactly(new WebhookConfig("https://a.example/hook", List.of("member_added"), "presence-",
                Map.of("X-T", "1")));
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("SOKETI_DEFAULT_APP_WEBHOOKS");
        // Ours pass through untouched.
        String ours = "[{\"url\": \"https://c.example\", \"channel_prefix\": \"private-\"}]";
        assertThat(SoketiWebhooks.translate(ours, w -> { throw new AssertionError(w); })).isEqualTo(ours);
    }

    @Test
    void noSoketiVariablesChangeNothing() {
        assertThat(ConfigLoader.load(new String[0], Map.of("SOKETI_PORT", ""))).isEqualTo(ServerConfig.defaults());
    }
}
