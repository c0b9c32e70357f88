package dev.switchboard.server.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The only timeouts the integration tests use. No test sleeps; every wait polls a condition. */
public final class Waits {
    /** Upper bound for anything that should happen "at once" on a loopback connection. */
    public static final Duration AT_ONCE = Duration.ofSeconds(5);
    /** How long something that must not happen is watched for (absence of an echo, of a reconnect). */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(1500);

    private Waits() {}

    public static ConditionFactory eventually() {
        return Awaitility.await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(20));
    }

    /** Holds for the whole quiet period: the condition must stay true while we watch. */
    public static ConditionFactory throughoutQuietPeriod() {
        return Awaitility.await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.plus(AT_ONCE)).pollInterval(Duration.ofMillis(50));
    }
}
