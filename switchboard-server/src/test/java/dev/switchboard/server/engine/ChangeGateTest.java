package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.Apps;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * max_subscription_changes_per_second: a connection may always subscribe to as many channels as the app allows at
 * once (pusher-js resubscribing everything after a reconnect), then at the rate; past it the frame is refused with
 * 4301 and nothing is queued, and the connection stays open and usable. On one node a change never waits, so the
 * pending bound never stops reading (the flood against a cluster node is ChangeFloodTest).
 */
class ChangeGateTest {
    private static final String SUB = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"c%d\"}}";

    @Test
    void aWholeResubscribeFitsThenTheRateHoldsAndTheConnectionStaysUsable() {
        AtomicLong millis = new AtomicLong(1_000_000);
        ServerConfig server = ServerConfig.defaults().with("max_subscription_changes_per_second", 2);
        try (EngineFixture f = new EngineFixture(server,
                Apps.with(Map.of("maxChannelsPerConnection", 5, "sendSubscriptionErrors", true)), millis::get)) {
            EngineFixture.Client a = f.connect();
            EngineFixture.Client other = f.connect();
            // The burst: the app's 5 channels plus one second's worth (2), all at once, as after a reconnect.
            for (int i = 0; i < 5; i++) {
                a.send(String.format(SUB, i));
            }
            a.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"c0\"}}");
            a.send(String.format(SUB, 0));
            a.send(String.format(SUB, 9));
            a.awaitFrame("\"code\":4301");
            assertThat(a.peer.count("pusher_internal:subscription_succeeded")).isEqualTo(6);
            assertThat(a.peer.received("\"channel\":\"c9\"")).as("the refused channel's subscription_error").isTrue();
            assertThat(a.peer.count("subscription_succeeded\",\"channel\":\"c9\"")).isZero();
            // Half a second later one more change is allowed.
            millis.addAndGet(500);
            a.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"c1\"}}");
            a.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            a.awaitFrame("pusher:pong");
            assertThat(a.peer.count("\"code\":4301")).isEqualTo(1);
            assertThat(a.peer.closedWith).isNull();
            assertThat(a.peer.pauses.get()).as("one node never stops reading").isZero();
            // Another connection has a bucket of its own.
            other.subscribe("news");
            other.awaitFrame("subscription_succeeded");
        }
    }

    @Test
    void zeroTurnsTheRateOff() {
        ServerConfig server = ServerConfig.defaults().with("max_subscription_changes_per_second", 0);
        try (EngineFixture f = new EngineFixture(server, Apps.with(Map.of("maxChannelsPerConnection", 1)),
                () -> 0L)) {
            EngineFixture.Client a = f.connect();
            for (int i = 0; i < 50; i++) {
                a.send(String.format(SUB, 1));
                a.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"c1\"}}");
            }
            a.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            a.awaitFrame("pusher:pong");
            assertThat(a.peer.count("pusher_internal:subscription_succeeded")).isEqualTo(50);
            assertThat(a.peer.received("4301")).isFalse();
        }
    }
}
