package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.config.ConfigLoader.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void noSourcesGiveTheDefaults() {
        assertThat(ConfigLoader.load(new String[0], Map.of())).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void fileSetsServerSettingsAndSeveralApps() throws IOException {
        Path file = write("""
                {
                  // comments are allowed
                  "port": 7001,
                  "host": "127.0.0.1",
                  "activity_timeout_seconds": 60,
                  "metrics_enabled": false,
                  "apps": [
                    {"id": "1", "key": "k1", "secret": "s1", "enable_client_messages": false, "max_connections": 100},
                    {"id": "2", "key": "k2", "secret": "s2", "require_authorized_connections": true,
                     "webhooks": [{"url": "https://example.com/hook", "event_types": ["channel_occupied"],
                                   "channel_prefix": "presence-", "headers": {"X-Token": "t"}}]}
                  ]
                }
                """);
        ServerConfig c = ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of());
        assertThat(c.port()).isEqualTo(7001);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.activityTimeoutSeconds()).isEqualTo(60);
        assertThat(c.metricsEnabled()).isFalse();
        assertThat(c.pongTimeoutSeconds()).isEqualTo(ServerConfig.defaults().pongTimeoutSeconds());
        assertThat(c.apps()).hasSize(2);
        AppConfig a1 = c.apps().get(0);
        assertThat(a1.id()).isEqualTo("1");
        assertThat(a1.enableClientMessages()).isFalse();
        assertThat(a1.maxConnections()).isEqualTo(100);
        // Unset app keys keep the defaults.
        assertThat(a1.maxEventDataBytes()).isEqualTo(AppConfig.defaults("x", "y", "z").maxEventDataBytes());
        AppConfig a2 = c.apps().get(1);
        assertThat(a2.requireAuthorizedConnections()).isTrue();
        assertThat(a2.webhooks()).containsExactly(new WebhookConfig("https://example.com/hook",
                List.of("channel_occupied"), "presence-", Map.of("X-Token", "t")));
    }

    @Test
    void laterSourcesWin() throws IOException {
        Path file = write("{\"port\": 7001, \"activity_timeout_seconds\": 60, \"pong_timeout_seconds\": 20,"
                + " \"worker_threads\": 3}");
        Map<String, String> env = Map.of(
                "SWITCHBOARD_PORT", "7002",
                "SWITCHBOARD_ACTIVITY_TIMEOUT_SECONDS", "50",
                "SWITCHBOARD_WORKER_THREADS", "4");
        ServerConfig c = ConfigLoader.load(new String[] {
                "--config=" + file, "--port", "7003", "--worker-threads=5", "--set", "worker_threads=6"}, env);
        assertThat(c.pongTimeoutSeconds()).isEqualTo(20);      // file
        assertThat(c.activityTimeoutSeconds()).isEqualTo(50);  // env over file
        assertThat(c.port()).isEqualTo(7003);                  // flag over env
        assertThat(c.workerThreads()).isEqualTo(6);            // --set over the dedicated flag
    }

    @Test
    void envAndFlagsAddressTheFirstApp() throws IOException {
        Path file = write("{\"apps\": [{\"id\": \"1\", \"key\": \"k1\", \"secret\": \"s1\"},"
                + " {\"id\": \"2\", \"key\": \"k2\", \"secret\": \"s2\"}]}");
        Map<String, String> env = Map.of(
                "SWITCHBOARD_CONFIG", file.toString(),
                "SWITCHBOARD_APP_KEY", "env-key",
                "SWITCHBOARD_APP_ENABLE_CLIENT_MESSAGES", "false",
                "SWITCHBOARD_APP_MAX_CONNECTIONS", "10");
        ServerConfig c = ConfigLoader.load(new String[] {"--app-secret=flag-secret", "--set", "app.max_connections=20",
                "--app-enable-watchlist-events=false"}, env);
        AppConfig first = c.apps().get(0);
        assertThat(first.id()).isEqualTo("1");
        assertThat(first.key()).isEqualTo("env-key");
        assertThat(first.secret()).isEqualTo("flag-secret");
        assertThat(first.enableClientMessages()).isFalse();
        assertThat(first.maxConnections()).isEqualTo(20);
        assertThat(first.enableWatchlistEvents()).isFalse();
        assertThat(c.apps().get(1).key()).isEqualTo("k2");
    }

    @Test
    void theDefaultAppFromFlags() {
        ServerConfig c = ConfigLoader.load(new String[] {"--app-id=42", "--app-key=key", "--app-secret=secret",
                "--app-enable-subscription-count"}, Map.of());
        assertThat(c.apps()).hasSize(1);
        assertThat(c.apps().get(0).id()).isEqualTo("42");
        assertThat(c.apps().get(0).enableSubscriptionCount()).isTrue();
    }

    @Test
    void appsAsJsonFromTheEnvironment() {
        ServerConfig c = ConfigLoader.load(new String[0], Map.of("SWITCHBOARD_APPS",
                "[{\"id\":\"a\",\"key\":\"b\",\"secret\":\"c\"},{\"id\":\"d\",\"key\":\"e\",\"secret\":\"f\"}]"));
        assertThat(c.apps()).extracting(AppConfig::key).containsExactly("b", "e");
    }

    @Test
    void booleansAndIntegersFromText() {
        ServerConfig c = ConfigLoader.load(new String[0], Map.of("SWITCHBOARD_METRICS_ENABLED", "no",
                "SWITCHBOARD_PORT", " 6002 "));
        assertThat(c.metricsEnabled()).isFalse();
        assertThat(c.port()).isEqualTo(6002);
    }

    @Test
    void badValuesAreClearErrors() throws IOException {
        assertError(new String[] {"--port", "abc"}, Map.of(), "flag --port: 'abc' is not an integer");
        assertError(new String[0], Map.of("SWITCHBOARD_PORT", "x"), "environment variable SWITCHBOARD_PORT");
        assertError(new String[] {"--port=70000"}, Map.of(), "port must be between 0 and 65535");
        assertError(new String[] {"--metrics-enabled=maybe"}, Map.of(), "not a boolean");
        assertError(new String[] {"--set", "nope"}, Map.of(), "--set expects KEY=VALUE");
        assertError(new String[] {"--set", "prot=1"}, Map.of(), "Unknown setting 'prot'");
        assertError(new String[] {"--set", "app.nope=1"}, Map.of(), "Unknown setting 'nope'");
        assertError(new String[] {"--write-buffer-low-water-mark=10", "--write-buffer-high-water-mark=5"}, Map.of(),
                "write_buffer_low_water_mark must be between 0 and 5");
        assertError(new String[] {"--nope"}, Map.of(), "Unknown option");
        assertError(new String[] {"--app-max-connections=-5"}, Map.of(), "max_connections must be -1");
        assertError(new String[] {"--config", dir.resolve("missing.json").toString()}, Map.of(), "Config file not found");
        assertError(new String[] {"--config", write("{\"port\": 1,}").toString()}, Map.of(), "not valid JSON");
        assertError(new String[] {"--config", write("{\"activity_timeout\": 5}").toString()}, Map.of(),
                "Unknown setting 'activity_timeout'");
        assertError(new String[] {"--config", write("{\"port\": \"six\"}").toString()}, Map.of(), "not an integer");
        assertError(new String[] {"--config", write("{\"apps\": [{\"id\": \"1\", \"key\": \"k\"}]}").toString()},
                Map.of(), "'secret' is required");
        assertError(new String[] {"--config", write("{\"apps\": [{\"id\": \"1\", \"key\": \"k\", \"secret\": \"s\","
                + " \"max_conections\": 1}]}").toString()}, Map.of(), "did you mean 'max_connections'");
        assertError(new String[] {"--config", write("{\"apps\": [{\"id\": \"1\", \"key\": \"k\", \"secret\": \"s\"},"
                + " {\"id\": \"2\", \"key\": \"k\", \"secret\": \"s\"}]}").toString()}, Map.of(), "Two apps have the key 'k'");
        assertError(new String[] {"--config", write("{\"apps\": []}").toString()}, Map.of(), "At least one app");
        assertError(new String[] {"--config", write("{\"apps\": [{\"id\": \"1\", \"key\": \"k\", \"secret\": \"s\","
                + " \"webhooks\": [{\"url\": \"ftp://x\"}]}]}").toString()}, Map.of(), "not an http(s) URL");
    }

    @Test
    void unknownEnvironmentVariablesAreWarnings() {
        List<String> warnings = new ArrayList<>();
        ServerConfig c = ConfigLoader.load(new String[0], Map.of("SWITCHBOARD_PROT", "1", "SWITCHBOARD_LOG_LEVEL",
                "DEBUG", "PATH", "/bin"), warnings::add);
        assertThat(c).isEqualTo(ServerConfig.defaults());
        assertThat(warnings).singleElement().asString().contains("SWITCHBOARD_PROT").contains("SWITCHBOARD_PORT");
    }

    @Test
    void everySettingHasADescriptionAndEveryName() {
        for (ConfigSetting s : ConfigSetting.all()) {
            assertThat(s.description()).as(s.key()).isNotBlank();
        }
        assertThat(ConfigSetting.server()).extracting(ConfigSetting::envVar).contains("SWITCHBOARD_PORT",
                "SWITCHBOARD_HOST", "SWITCHBOARD_ACTIVITY_TIMEOUT_SECONDS");
        assertThat(ConfigSetting.app()).extracting(ConfigSetting::envVar).contains("SWITCHBOARD_APP_ID",
                "SWITCHBOARD_APP_KEY", "SWITCHBOARD_APP_SECRET", "SWITCHBOARD_APP_ENABLE_CLIENT_MESSAGES");
        assertThat(ConfigSetting.app()).extracting(ConfigSetting::flag).contains("--app-id", "--app-key", "--app-secret");
    }

    private void assertError(String[] args, Map<String, String> env, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(args, env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    private int files;

    private Path write(String json) throws IOException {
        Path p = dir.resolve("config-" + (files++) + ".json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void theDashboardIsOnByDefaultAndNoDashboardTurnsItOff() {
        ServerConfig d = ConfigLoader.load(new String[0], Map.of());
        assertThat(d.dashboardEnabled()).isTrue();
        assertThat(d.dashboardToken()).isEmpty();
        assertThat(ConfigLoader.load(new String[] {"--no-dashboard"}, Map.of()).dashboardEnabled()).isFalse();
        assertThat(ConfigLoader.load(new String[] {"--dashboard-enabled=false"}, Map.of()).dashboardEnabled()).isFalse();
        ServerConfig fromEnv = ConfigLoader.load(new String[0],
                Map.of("SWITCHBOARD_DASHBOARD_TOKEN", "a-token-of-twenty-chars"));
        assertThat(fromEnv.dashboardToken()).isEqualTo("a-token-of-twenty-chars");
    }

    @Test
    void aShortDashboardTokenIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("SWITCHBOARD_DASHBOARD_TOKEN", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dashboard_token");
    }

    @Test
        void redisClusterComesFromItsFlagAndTheEnvironmentAndTakesOnlyRedisUrls() {
        ServerConfig fromFlag = ConfigLoader.load(new String[] {"--redis-cluster",
                "redis://:pw@10.0.0.5:7000,redis://10.0.0.6:7000"}, Map.of());
        assertThat(fromFlag.redisCluster()).isEqualTo("redis://:pw@10.0.0.5:7000,redis://10.0.0.6:7000");
        ServerConfig fromEnv = ConfigLoader.load(new String[0], Map.of("SWITCHBOARD_REDIS_CLUSTER", "rediss://r:7000"));
        assertThat(fromEnv.redisCluster()).isEqualTo("rediss://r:7000");
        assertThat(ServerConfig.defaults().redisCluster()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--redis-cluster",
                "redis://r:7000,http://:secret@r:7001"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redis_cluster")
                .hasMessageNotContaining("secret");
    }

    @Test
    void redisSettingsComeFromTheRedisFlagAndTheEnvironment() {
        ServerConfig fromFlag = ConfigLoader.load(new String[] {"--redis", "redis://:pw@10.0.0.5:6380",
                "--redis-prefix", "east", "--cluster-heartbeat-millis", "500"}, Map.of());
        assertThat(fromFlag.redisUrl()).isEqualTo("redis://:pw@10.0.0.5:6380");
        assertThat(fromFlag.redisPrefix()).isEqualTo("east");
        assertThat(fromFlag.clusterHeartbeatMillis()).isEqualTo(500);
        assertThat(fromFlag.clusterNodeTimeoutMillis()).isEqualTo(5000);
        ServerConfig fromEnv = ConfigLoader.load(new String[0], Map.of("SWITCHBOARD_REDIS_URL", "rediss://r:6379"));
        assertThat(fromEnv.redisUrl()).isEqualTo("rediss://r:6379");
        assertThat(ServerConfig.defaults().redisUrl()).isEmpty();
    }

    @Test
    void badRedisSettingsAreRefusedWithoutEchoingTheUrl() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--redis", "http://:secret@r:6379"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redis://")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--redis-prefix", "a{b}"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redis_prefix");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--cluster-heartbeat-millis", "1000",
                "--cluster-node-timeout-millis", "1500"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster_node_timeout_millis");
    }
}
