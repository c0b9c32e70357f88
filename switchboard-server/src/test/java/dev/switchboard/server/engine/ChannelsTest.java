package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.testing.Apps;
import dev.switchboard.server.testing.RecordingPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelsTest {

    @Test
    void connectSendsEstablishedWithSocketIdAndActivityTimeout() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client c = f.connect();
            assertThat(c.connection.socketId()).matches("\\d+\\.\\d+");
            assertThat(c.peer.frames.get(0)).startsWith("{\"event\":\"pusher:connection_established\"")
                    .contains("\\\"activity_timeout\\\":120");
        }
    }

    @Test
    void unknownKeyIsRefusedWith4001() {
        try (EngineFixture f = new EngineFixture()) {
            RecordingPeer peer = new RecordingPeer(f.loopA);
            assertThat(peer.on(() -> f.engine.connect("nope", peer))).isNull();
            assertThat(peer.closedWith).isEqualTo(CloseCode.APP_NOT_FOUND);
        }
    }

    @Test
    void overQuotaIsRefusedWith4004AndASlotFreesOnClose() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("maxConnections", 1)))) {
            EngineFixture.Client first = f.connect();
            RecordingPeer peer = new RecordingPeer(f.loopA);
            // The quota is counted over the cluster, so the refusal comes after the socket exists, as a close.
            peer.on(() -> f.engine.connect("app-key", peer));
            assertThat(peer.closedWith).isEqualTo(CloseCode.OVER_CONNECTION_QUOTA);
            assertThat(peer.received("connection_established")).isFalse();
            first.peer.on(() -> {
                first.connection.onClose();
                return null;
            });
            assertThat(f.connect().connection).isNotNull();
        }
    }

    @Test
    void publicEventReachesSubscribersOnBothLoopsButNotTheExcludedSocket() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client a = f.connect();
            EngineFixture.Client b = f.connect();
            EngineFixture.Client excluded = f.connect();
            for (EngineFixture.Client c : new EngineFixture.Client[] {a, b, excluded}) {
                c.subscribe("news");
                c.awaitFrame("subscription_succeeded");
            }
            f.appEngine().trigger("news", "first", "{\"n\":1}", excluded.connection.socketId());
            f.appEngine().trigger("news", "second", "x", null);
            a.awaitFrame("\"second\"");
            b.awaitFrame("\"second\"");
            excluded.awaitFrame("\"second\"");
            assertThat(a.peer.received("{\"event\":\"first\",\"channel\":\"news\",\"data\":\"{\\\"n\\\":1}\"}")).isTrue();
            assertThat(excluded.peer.received("\"first\"")).isFalse();
        }
    }

    @Test
    void aBigLaneTouchesAndFlushesEverySubscriberOnceInBatches() {
        // More subscribers per loop (150 on each of two) than one flush batch (128), and not a multiple of it.
        try (EngineFixture f = new EngineFixture()) {
            List<EngineFixture.Client> clients = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                EngineFixture.Client c = f.connect();
                c.subscribe("big");
                clients.add(c);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> clients.stream().allMatch(c -> c.peer.received("subscription_succeeded")));
            f.appEngine().trigger("big", "e", "{}", null);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> clients.stream().allMatch(c -> c.peer.received("\"event\":\"e\"")));
            clients.get(0).drain(); // each loop ran its burst's flush after the fan-out task
            clients.get(1).drain();
            for (EngineFixture.Client c : clients) {
                assertThat(c.peer.flushes.get()).as("flushes of %s", c.connection.socketId()).isEqualTo(1);
                assertThat(c.peer.touches.get()).as("touches of %s", c.connection.socketId()).isEqualTo(1);
            }
        }
    }

    @Test
    void privateSubscriptionNeedsAValidSignature() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client c = f.connect();
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"app-key:" + "0".repeat(64)
                    + "\",\"channel\":\"private-x\"}}");
            c.awaitFrame("Invalid signature");
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-x\"}}");
            c.awaitFrame("should be of format 'key:signature'");
            assertThat(c.peer.received("subscription_succeeded")).isFalse();
            c.subscribePrivate("private-x");
            c.awaitFrame("subscription_succeeded");
            assertThat(c.peer.frames).anyMatch(s -> s.contains("\"code\":null"));
        }
    }

    @Test
    void badInputGetsAnErrorAndTheConnectionStaysUsable() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client c = f.connect();
            c.send("not json");
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":5}}");
            c.send("{\"event\":\"pusher:nonsense\"}");
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"bad name!\"}}");
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + "a".repeat(165) + "\"}}");
            c.awaitFrame("too long");
            assertThat(c.peer.count("pusher:error")).isEqualTo(5);
            c.send("{\"event\":\"pusher:ping\"}");
            c.awaitFrame("pusher:pong");
            assertThat(c.peer.closedWith).isNull();
        }
    }

    @Test
    void cacheChannelReplaysLastEventOrSendsCacheMiss() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client early = f.connect();
            early.subscribe("cache-x");
            early.awaitFrame("pusher:cache_miss");
            f.appEngine().trigger("cache-x", "price", "42", null);
            early.awaitFrame("\"price\"");
            EngineFixture.Client late = f.connect();
            late.subscribe("cache-x");
            late.awaitFrame("\"price\"");
            assertThat(late.peer.received("cache_miss")).isFalse();
            assertThat(EngineFixture.now(f.appEngine().channelStats("cache-x")).cache().data()).isEqualTo("42");
        }
    }

    @Test
    void aHugeNameComesBackAsAShortPrefixInEveryError() {
        String huge = "a".repeat(60_000);
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("sendSubscriptionErrors", true)))) {
            EngineFixture.Client c = f.connect();
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + huge + "\"}}");
            c.awaitFrame("Channel name too long");
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-!" + huge + "\"}}");
            c.awaitFrame("Invalid user id in channel name");
            c.send("{\"event\":\"client-x\",\"channel\":\"private-" + huge + "\",\"data\":{}}");
            c.awaitFrame("not subscribed to channel");
            c.send("{\"event\":\"client-x\",\"channel\":\"" + huge + "\",\"data\":{}}");
            c.awaitFrame("only allowed on private and presence channels");
            c.send("{\"event\":\"pusher:" + huge + "\"}");
            c.awaitFrame("Unsupported event");
            List<String> errors = c.peer.frames.stream().filter(m -> m.contains("\"pusher:error\"")).toList();
            assertThat(errors).hasSize(5).allSatisfy(m -> {
                assertThat(m.length()).isLessThan(300);
                assertThat(m).containsPattern("a… \\(600\\d\\d characters\\)");
            });
            // The subscription_error's message is quoted the same way (its channel field routes it client-side).
            assertThat(c.peer.frames).filteredOn(m -> m.contains("pusher:subscription_error"))
                    .hasSize(2).allSatisfy(m -> assertThat(m).contains("characters)"));
        }
    }

    @Test
    void clientEventsGoToOthersOnlyAndAreRateLimited() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("maxClientEventsPerSecond", 2)))) {
            EngineFixture.Client a = f.connect();
            EngineFixture.Client b = f.connect();
            a.subscribePrivate("private-chat");
            b.subscribePrivate("private-chat");
            a.awaitFrame("subscription_succeeded");
            b.awaitFrame("subscription_succeeded");
            a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"chars\":3}}");
            b.awaitFrame("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"chars\":3}}");
            a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":2}");
            a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":3}");
            a.awaitFrame("\"code\":4301");
            a.drain();
            assertThat(a.peer.received("client-typing")).isFalse();
            assertThat(a.peer.closedWith).isNull();
        }
    }

    @Test
    void clientEventsAreRefusedOnPublicChannelsAndWhenDisabled() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client a = f.connect();
            a.subscribe("news");
            a.send("{\"event\":\"client-x\",\"channel\":\"news\",\"data\":{}}");
            a.awaitFrame("only allowed on private and presence");
        }
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("enableClientMessages", false)))) {
            EngineFixture.Client a = f.connect();
            a.subscribePrivate("private-x");
            a.send("{\"event\":\"client-x\",\"channel\":\"private-x\",\"data\":{}}");
            a.awaitFrame("not enabled");
        }
    }

    @Test
    void clientEventsOnEncryptedChannelsAreRefusedAndNotRelayed() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client a = f.connect();
            EngineFixture.Client b = f.connect();
            a.subscribePrivate("private-encrypted-vault");
            b.subscribePrivate("private-encrypted-vault");
            a.awaitFrame("subscription_succeeded");
            b.awaitFrame("subscription_succeeded");
            a.send("{\"event\":\"client-junk\",\"channel\":\"private-encrypted-vault\",\"data\":{\"x\":1}}");
            a.awaitFrame("{\"event\":\"pusher:error\",\"data\":{\"code\":null,\"message\":"
                    + "\"Client events are not allowed on encrypted channels: ");
            // The member is served throughout: a client event on a private channel still reaches it.
            a.subscribePrivate("private-chat");
            b.subscribePrivate("private-chat");
            b.awaitFrame("\"channel\":\"private-chat\"");
            a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":1}");
            b.awaitFrame("client-typing");
            assertThat(b.peer.received("client-junk")).isFalse();
            assertThat(a.peer.closedWith).isNull();
        }
    }

    @Test
    void subscriptionCountIsBroadcastWhenEnabled() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("enableSubscriptionCount", true)))) {
            EngineFixture.Client a = f.connect();
            EngineFixture.Client b = f.connect();
            a.subscribe("room");
            a.awaitFrame("subscription_count\\\":1");
            b.subscribe("room");
            a.awaitFrame("subscription_count\\\":2");
            b.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"room\"}}");
            a.awaitFrame("subscription_count\\\":1}");
            assertThat(EngineFixture.now(f.appEngine().channelStats("room")).subscriptionCount()).isEqualTo(1);
        }
    }
}
