package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line refuses an app id with a brace before anything starts, saying which id and why. */
class AppNameRefusalTest {

    @Test
    void anIdWithABraceExitsWith2AndNamesIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Prepared p = Main.prepare(new String[] {"--app-id", "shop{eu}"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(p.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("switchboard: ")
                .contains("the id 'shop{eu}' holds '{' at position 4").doesNotContain("\tat ");
    }
}
