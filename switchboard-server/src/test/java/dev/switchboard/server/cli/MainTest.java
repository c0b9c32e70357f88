package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigSetting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Prepared run(Map<String, String> env, String... args) {
        return Main.prepare(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryOption() {
        Main.Prepared p = run(Map.of(), "--help");
        assertThat(p.config()).isNull();
        assertThat(p.exitCode()).isEqualTo(Main.EXIT_OK);
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("--config", "--set", "--help");
        for (ConfigSetting s : ConfigSetting.all()) {
            assertThat(help).contains(s.flag());
        }
    }

    @Test
    void badConfigExitsWith2AndAMessageNotAStackTrace() {
        Main.Prepared p = run(Map.of(), "--port", "nope");
        assertThat(p.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("switchboard: ").doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(run(Map.of(), "--unknown-flag").exitCode()).isEqualTo(Main.EXIT_CONFIG);
    }

    @Test
    void environmentPortIsUsed() {
        Main.Prepared p = run(Map.of("SWITCHBOARD_PORT", "6123"));
        assertThat(p.config().port()).isEqualTo(6123);
    }

    /** docs/configuration.md is generated from the settings; this fails when it is stale. */
    @Test
    void configurationDocIsUpToDate() throws Exception {
        Path doc = Path.of("..", "docs", "configuration.md");
        assertThat(Files.readString(doc))
                .as("docs/configuration.md is stale: run bin/switchboard --print-config-docs > docs/configuration.md")
                .isEqualTo(ConfigDocs.markdown());
    }
}
