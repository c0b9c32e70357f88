package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

    @Test
    void noEntriesOrAStarAllowEveryOrigin() {
        assertThat(AllowedOrigins.of(List.of()).allows("https://evil.test")).isTrue();
        assertThat(AllowedOrigins.of(List.of("https://a.example.com", "*")).allows("https://evil.test")).isTrue();
    }

    @Test
    void exactOriginsMatchSchemeHostAndPort() {
        AllowedOrigins o = AllowedOrigins.of(List.of("https://app.example.com", "http://localhost:8080"));
        assertThat(o.allows("https://app.example.com")).isTrue();
        assertThat(o.allows("https://APP.Example.com")).isTrue();
        assertThat(o.allows("https://app.example.com:443")).isTrue();
        assertThat(o.allows("http://localhost:8080")).isTrue();
        assertThat(o.allows("http://app.example.com")).isFalse();
        assertThat(o.allows("https://app.example.com:8443")).isFalse();
        assertThat(o.allows("http://localhost")).isFalse();
        assertThat(o.allows("https://app.example.com.evil.test")).isFalse();
        assertThat(o.allows("https://evil.test")).isFalse();
    }

    @Test
    void wildcardsMatchSubdomainsOnly() {
        AllowedOrigins o = AllowedOrigins.of(List.of("https://*.example.com"));
        assertThat(o.allows("https://a.example.com")).isTrue();
        assertThat(o.allows("https://a.b.example.com")).isTrue();
        assertThat(o.allows("https://example.com")).isFalse();
        assertThat(o.allows("https://badexample.com")).isFalse();
        assertThat(o.allows("http://a.example.com")).isFalse();
    }

    @Test
    void bareHostsMatchAnySchemeAndPort() {
        AllowedOrigins o = AllowedOrigins.of(List.of("*.example.org", "example.net"));
        assertThat(o.allows("http://x.example.org:3000")).isTrue();
        assertThat(o.allows("https://example.net")).isTrue();
        assertThat(o.allows("https://example.org")).isFalse();
        assertThat(o.allows("https://sub.example.net")).isFalse();
    }

    @Test
    void aMissingOriginIsAllowedAndNonOriginsAreNot() {
        AllowedOrigins o = AllowedOrigins.of(List.of("https://app.example.com"));
        assertThat(o.allows(null)).isTrue();
        assertThat(o.allows("null")).isFalse();
        assertThat(o.allows("not an origin")).isFalse();
        assertThat(o.allows("")).isFalse();
    }

    @Test
    void badEntriesAreRefusedWithTheirText() {
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("https://")))
                .hasMessageContaining("'https://' is not an origin");
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("https://a b.com"))).hasMessageContaining("a b.com");
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("example.com:8080"))).hasMessageContaining("no scheme");
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("https://a.com:99999"))).hasMessageContaining("not an origin");
    }

    @Test
    void theSettingComesFromFileEnvironmentAndFlags() {
        ServerConfig env = ConfigLoader.load(new String[0],
                java.util.Map.of("SWITCHBOARD_APP_ALLOWED_ORIGINS", "https://a.example.com, https://*.b.example.com"));
        assertThat(env.apps().get(0).allowedOrigins()).containsExactly("https://a.example.com", "https://*.b.example.com");
        ServerConfig flag = ConfigLoader.load(new String[] {"--app-allowed-origins=[\"https://c.example.com\"]"},
                java.util.Map.of());
        assertThat(flag.apps().get(0).allowedOrigins()).containsExactly("https://c.example.com");
        ServerConfig apps = ConfigLoader.load(new String[0], java.util.Map.of("SWITCHBOARD_APPS",
                "[{\"id\":\"1\",\"key\":\"k\",\"secret\":\"s\",\"allowed_origins\":[\"https://d.example.com\"]}]"));
        assertThat(apps.apps().get(0).allowedOrigins()).containsExactly("https://d.example.com");
        assertThat(ConfigLoader.load(new String[0], java.util.Map.of()).apps().get(0).allowedOrigins()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--app-allowed-origins=https://"}, java.util.Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("not an origin");
    }
}
