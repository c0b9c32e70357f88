package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/switchboard}'s choice of JVM and flags ({@code SWITCHBOARD_PRINT_JVM=1} prints it instead of starting):
 * the flags it adds only where the JVM accepts them must follow the JVM actually chosen.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("..", "bin", "switchboard").toAbsolutePath().normalize();

    private static List<String> chosen(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("SWITCHBOARD_JAVA");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("SWITCHBOARD_PRINT_JVM", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bin/switchboard answered").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static boolean accepts(String java, String flag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, flag, "-version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    void theJvmNamedBySwitchboardJavaRunsItWithTheFlagsItAccepts() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> lines = chosen(Map.of("SWITCHBOARD_JAVA", java, "JAVA_OPTS", "-Dextra=1"));
        assertThat(lines.get(0)).isEqualTo(java);
        assertThat(lines).contains("-XX:+UseSerialGC", "-Xmn32m");
        assertThat(lines.contains("-XX:+UseCompactObjectHeaders"))
                .isEqualTo(accepts(java, "-XX:+UseCompactObjectHeaders"));
        assertThat(lines.contains("--sun-misc-unsafe-memory-access=allow"))
                .isEqualTo(accepts(java, "--sun-misc-unsafe-memory-access=allow"));
        assertThat(lines.get(lines.size() - 1)).as("JAVA_OPTS come last, so they override").isEqualTo("-Dextra=1");
    }

    /** The AOT cache of `bin/switchboard --aot-train` is used when it exists and the JVM has AOT caches (JDK 25+). */
    @Test
    void anAotCacheIsUsedWhenPresentAndTheJvmKnowsTheFlag(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path cache = dir.resolve("switchboard.aot");
        String flag = "-XX:AOTCache=" + cache;
        assertThat(chosen(Map.of("SWITCHBOARD_JAVA", java, "SWITCHBOARD_AOT_CACHE", cache.toString())))
                .as("no cache file, no flag").doesNotContain(flag);
        Files.writeString(cache, "stands in for a cache: the launcher only checks that the file is there");
        assertThat(chosen(Map.of("SWITCHBOARD_JAVA", java, "SWITCHBOARD_AOT_CACHE", cache.toString())).contains(flag))
                .as("flag present exactly when the JVM knows AOT caches")
                .isEqualTo(accepts(java, "-XX:AOTMode=off"));
        // The JVM the launcher picks by itself (a JDK 25 where the machine has one).
        List<String> own = chosen(Map.of("SWITCHBOARD_AOT_CACHE", cache.toString()));
        assertThat(own.contains(flag)).as("with " + own.get(0)).isEqualTo(accepts(own.get(0), "-XX:AOTMode=off"));
    }

    @Test
    void javaHomeIsPreferredToTheJdksFoundOnTheMachine() throws Exception {
        String home = System.getProperty("java.home");
        assertThat(chosen(Map.of("JAVA_HOME", home)).get(0)).isEqualTo(Path.of(home, "bin", "java").toString());
    }

    @Test
    void withNothingSetTheNewestJdkOf25OrLaterUnderUsrLibJvmIsChosen() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        String expected = "java";
        int best = 0;
        if (Files.isDirectory(jvms)) {
            try (var dirs = Files.list(jvms)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path release = dir.resolve("release");
                    Path java = dir.resolve("bin/java");
                    if (!Files.isExecutable(java) || !Files.isReadable(release)) {
                        continue;
                    }
                    int major = Files.readAllLines(release).stream()
                            .filter(l -> l.startsWith("JAVA_VERSION="))
                            .map(l -> l.replaceAll("[^0-9.]", "").split("\\.")[0])
                            .mapToInt(Integer::parseInt).findFirst().orElse(0);
                    if (major >= 25 && major > best) {
                        best = major;
                        expected = java.toString();
                    }
                }
            }
        }
        List<String> lines = chosen(Map.of());
        if (best == 0) {
            assertThat(lines.get(0)).isEqualTo("java");
        } else {
            assertThat(Path.of(lines.get(0)).toRealPath()).isEqualTo(Path.of(expected).toRealPath());
            assertThat(lines).as("JDK 25 takes compact object headers as a product flag")
                    .contains("-XX:+UseCompactObjectHeaders", "--sun-misc-unsafe-memory-access=allow");
        }
    }
}
