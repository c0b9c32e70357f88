package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.config.ConfigLoader.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which app ids and keys a node accepts, and how a refused one stops the start. */
class AppNamesTest {

    @Test
    void theNamesRealAppsUseAreAccepted() {
        // Pusher's numeric ids and hex keys, soketi's and Reverb's defaults, UUIDs, emails, quotes, other scripts.
        for (String name : new String[] {"1234567", "278d425bdf160c739803", "app-id", "app-key", "my_app.prod",
                "550e8400-e29b-41d4-a716-446655440000", "ops@example.com", "o'brien", "say\"hi\"", "Zürich",
                "ключ", "東京", "a+b=c", "(x)[y]|~^`!$&*,;<>@", "x".repeat(AppNames.MAX_LENGTH)}) {
            assertThat(AppNames.problem(name)).as(name).isNull();
        }
    }

    @Test
    void whatBreaksHashTagsRedisKeysOrPathsIsRefused() {
        assertThat(AppNames.problem("a{b")).isEqualTo("holds '{' at position 1");
        assertThat(AppNames.problem("ab}")).isEqualTo("holds '}' at position 2");
        for (String name : new String[] {"a:b", "a/b", "a\\b", "a?b", "a#b", "a%41", "a b", "a\tb", "a\nb",
                "a\u007fb", "a\u200bb", "a\u202eb", "a\u00a0b", "a\u2028b", "a\ue000b", "a\ud800b", ".", "..", "",
                "x".repeat(AppNames.MAX_LENGTH + 1)}) {
            assertThat(AppNames.problem(name)).as(name).isNotNull();
        }
    }

    @Test
    void aConfigFileAppWithABraceStopsTheStartNamingTheId() throws IOException {
        Path file = Files.createTempFile("switchboard-apps", ".json");
        try {
            Files.writeString(file, """
                    {"apps": [{"id": "ok-1", "key": "k1", "secret": "s1"},
                              {"id": "tenant{7}", "key": "k2", "secret": "s2"}]}
                    """);
            assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("app 1 (tenant{7})")
                    .hasMessageContaining("the id 'tenant{7}' holds '{' at position 6")
                    .hasMessageContaining("except { } : / \\ ? # %");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void anEnvironmentAppWithABadKeyStopsTheStartWithoutForgingALogLine() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("SWITCHBOARD_APP_ID", "env-app",
                "SWITCHBOARD_APP_KEY", "k}\nFAKE LOG LINE")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the key 'k}\\u000AFAKE LOG LINE' holds '}' at position 1");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--app-id", "team:blue"}, Map.of()))
                .hasMessageContaining("the id 'team:blue' holds ':' at position 4");
    }

    @Test
    void aDatabaseRowIsCheckedByTheSameRule() {
        assertThatThrownBy(() -> ConfigLoader.appFrom(Map.of("id", "row{1}", "key", "k", "secret", "s"),
                "switchboard_apps row with id 'row{1}'"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("switchboard_apps row with id 'row{1}': the id 'row{1}' holds '{'");
        assertThat(ConfigLoader.appFrom(Map.of("id", "Zürich's", "key", "ключ", "secret", "s"), "row").id())
                .isEqualTo("Zürich's");
    }
}
