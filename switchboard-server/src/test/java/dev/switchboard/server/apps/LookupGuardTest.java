package dev.switchboard.server.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ServerConfig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounds on the queries unknown names can cause, on a clock the test moves. */
class LookupGuardTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private LookupGuard guard(int missTtl, int missCacheSize, int ratePerSecond) {
        ServerConfig c = ServerConfig.defaults().with("apps_miss_ttl_seconds", missTtl)
                .with("apps_miss_cache_size", missCacheSize).with("max_apps_db_lookups_per_ip_per_second", ratePerSecond);
        return new LookupGuard(c, now::get);
    }

    @Test
    void aMissIsRememberedForItsTtlAndForgottenByAChange() {
        LookupGuard g = guard(5, 100, 20);
        g.missing("ghost", true);
        assertThat(g.knownMissing("ghost", true)).isTrue();
        assertThat(g.knownMissing("ghost", false)).as("an id miss says nothing of a key").isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(g.knownMissing("ghost", true)).isFalse();

        g.missing("new-app", true);
        g.forget("new-app", "new-key");
        assertThat(g.knownMissing("new-app", true)).as("NOTIFY of the new row").isFalse();
    }

    @Test
    void missesAreBoundedAndSweptWhenExpired() {
        LookupGuard g = guard(5, 3, 20);
        for (int i = 0; i < 10; i++) {
            g.missing("m" + i, true);
        }
        assertThat(g.missesRemembered()).isEqualTo(3);
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        g.sweep();
        assertThat(g.missesRemembered()).isZero();
    }

    @Test
    void eachAddressGetsItsRateAndAnIpv6AddressCountsAsItsSlash64() {
        LookupGuard g = guard(5, 100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(g.admit("2001:db8:1:2::" + (i + 1))).isZero();
        }
        assertThat(g.admit("2001:db8:1:2:ffff::9")).as("same /64").isPositive();
        assertThat(g.admit("2001:db8:1:3::1")).as("another /64").isZero();
        assertThat(g.admit("192.0.2.7")).isZero();
        assertThat(g.admit(null)).as("the node's own look-ups").isZero();
        assertThat(g.refused()).isEqualTo(1);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(g.admit("2001:db8:1:2::1")).as("refilled").isZero();
    }

    @Test
    void zeroTurnsEitherBoundOff() {
        LookupGuard g = guard(0, 100, 0);
        g.missing("x", true);
        assertThat(g.knownMissing("x", true)).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(g.admit("192.0.2.1")).isZero();
        }
    }
}
