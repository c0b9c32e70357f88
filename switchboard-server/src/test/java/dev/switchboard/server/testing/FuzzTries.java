package dev.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz properties' input count is jqwik's {@code jqwik.tries.default} (set by the surefire fuzz
 * execution: 2000 per property in the test command, 200000 with {@code -P fuzz}); each property counts what it
 * really ran, so the figure reported is not just the configured one.
 */
public final class FuzzTries {
    private FuzzTries() {}

    public static long configured() {
        return Long.parseLong(System.getProperty("jqwik.tries.default", "1000"));
    }

    public static void assertRan(String property, long ran) {
        System.out.printf("fuzz: %s: %d inputs (configured %d)%n", property, ran, configured());
        assertThat(ran).as("inputs tried by %s", property).isGreaterThanOrEqualTo(configured());
    }
}
