package dev.switchboard.server.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ServerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void aPostgresUrlBecomesAJdbcUrlWithoutCredentials() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://sb:p%40ss:w0rd@db.example:5433/apps?sslmode=require");
        assertThat(u.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/apps?sslmode=require");
        assertThat(u.user()).isEqualTo("sb");
        assertThat(u.password()).isEqualTo("p@ss:w0rd");
        assertThat(u.redacted()).isEqualTo("postgresql://sb@db.example:5433/apps").doesNotContain("w0rd");
        assertThat(u.toString()).doesNotContain("w0rd");
    }

    @Test
    void mysqlAndMariadbUrlsGoThroughTheMariadbDriver() {
        assertThat(DatabaseUrl.parse("mysql://root@127.0.0.1:3306/apps").jdbcUrl())
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/apps");
        assertThat(DatabaseUrl.parse("mariadb://root:x@h/apps").dialect()).isEqualTo(Dialect.MARIADB);
    }

    @Test
    void badUrlsAreRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("oracle://u:hunter2@h/db"))
                .hasMessageContaining("postgresql://").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@h"))
                .hasMessageContaining("no database").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--apps-from", "redis://u:hunter2@h/0"}, Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void withAppsFromAndNoAppsConfiguredTheBuiltInAppIsNotServed() {
        ServerConfig only = ConfigLoader.load(new String[] {"--apps-from", "postgresql://u@h/db"}, Map.of());
        assertThat(only.apps()).isEmpty();
        ServerConfig both = ConfigLoader.load(new String[] {"--apps-from", "postgresql://u@h/db"},
                Map.of("SWITCHBOARD_APP_SECRET", "s3cret"));
        assertThat(both.apps()).extracting(AppConfig::id).containsExactly("app-id");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--apps-migrate"}, Map.of()))
                .hasMessageContaining("apps_migrate needs apps_from");
    }

    @Test
    void anAppPrintedByMistakeShowsNoSecret() {
        assertThat(AppConfig.defaults("id", "key", "very-secret").toString()).doesNotContain("very-secret");
    }

    @Test
    void aRowTheConfigWouldRefuseIsRefusedNamingItsIdNotItsSecret() {
        assertThatThrownBy(() -> ConfigLoader.appFrom(Map.of("id", "7", "key", "k", "secret", "s3cr3t",
                "webhooks", "[{\"url\": \"ftp://x\"}]"), "row 7"))
                .hasMessageContaining("row 7").hasMessageNotContaining("s3cr3t");
        AppConfig ok = ConfigLoader.appFrom(Map.of("id", "7", "key", "k", "secret", "s", "max_connections", 5,
                "enabled", false, "webhooks", "[{\"url\": \"https://example.com/h\"}]"), "row 7");
        assertThat(ok.maxConnections()).isEqualTo(5);
        assertThat(ok.enabled()).isFalse();
        assertThat(ok.webhooks()).hasSize(1);
    }
}
