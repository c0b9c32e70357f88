package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.Apps;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceTest {

    @Test
    void rosterHasOneMemberPerUserAcrossConnections() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client watcher = f.connect();
            watcher.subscribePresence("presence-room", "{\"user_id\":\"w\"}");
            watcher.awaitFrame("subscription_succeeded");

            EngineFixture.Client ann1 = f.connect();
            EngineFixture.Client ann2 = f.connect();
            ann1.subscribePresence("presence-room", "{\"user_id\":\"ann\",\"user_info\":{\"name\":\"Ann\"}}");
            ann1.awaitFrame("subscription_succeeded");
            ann2.subscribePresence("presence-room", "{\"user_id\":\"ann\",\"user_info\":{\"name\":\"Ann\"}}");
            ann2.awaitFrame("\\\"count\\\":2");
            watcher.awaitFrame("member_added");
            assertThat(ann2.peer.received("{\\\"presence\\\":{\\\"ids\\\":[\\\"w\\\",\\\"ann\\\"],"
                    + "\\\"hash\\\":{\\\"w\\\":null,\\\"ann\\\":{\\\"name\\\":\\\"Ann\\\"}},\\\"count\\\":2}}")).isTrue();
            assertThat(EngineFixture.now(f.appEngine().presenceUserIds("presence-room"))).containsExactly("w", "ann");
            assertThat(EngineFixture.now(f.appEngine().channelStats("presence-room")).userCount()).isEqualTo(2);

            ann1.connection.app();
            ann1.peer.on(() -> {
                ann1.connection.onClose();
                return null;
            });
            watcher.drain();
            assertThat(watcher.peer.received("member_removed")).isFalse();
            ann2.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"presence-room\"}}");
            watcher.awaitFrame("member_removed");
            assertThat(watcher.peer.count("member_added")).isEqualTo(1);
            assertThat(watcher.peer.count("member_removed")).isEqualTo(1);
        }
    }

    @Test
    void numericUserIdsBecomeStrings() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client c = f.connect();
            c.subscribePresence("presence-n", "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}");
            c.awaitFrame("\\\"ids\\\":[\\\"10\\\"]");
        }
    }

    @Test
    void presenceLimitsAreEnforced() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("maxPresenceMembers", 1, "maxPresenceUserInfoBytes", 20)))) {
            EngineFixture.Client a = f.connect();
            a.subscribePresence("presence-small", "{\"user_id\":\"a\"}");
            a.awaitFrame("subscription_succeeded");
            EngineFixture.Client b = f.connect();
            b.subscribePresence("presence-small", "{\"user_id\":\"b\"}");
            b.awaitFrame("is full");
            EngineFixture.Client a2 = f.connect();
            a2.subscribePresence("presence-small", "{\"user_id\":\"a\"}");
            a2.awaitFrame("subscription_succeeded");
            EngineFixture.Client big = f.connect();
            big.subscribePresence("presence-other", "{\"user_id\":\"c\",\"user_info\":{\"bio\":\"" + "x".repeat(40) + "\"}}");
            big.awaitFrame("larger than 20 bytes");
            assertThat(big.peer.received("subscription_succeeded")).isFalse();
        }
    }

    @Test
    void clientEventsOnPresenceCarryTheSendersUserId() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client a = f.connect();
            EngineFixture.Client b = f.connect();
            a.subscribePresence("presence-chat", "{\"user_id\":\"7\"}");
            b.subscribePresence("presence-chat", "{\"user_id\":\"9\"}");
            a.awaitFrame("subscription_succeeded");
            b.awaitFrame("subscription_succeeded");
            a.send("{\"event\":\"client-typing\",\"channel\":\"presence-chat\",\"data\":{\"user_id\":\"forged\"},\"user_id\":\"forged\"}");
            b.awaitFrame("{\"event\":\"client-typing\",\"channel\":\"presence-chat\",\"data\":{\"user_id\":\"forged\"},\"user_id\":\"7\"}");
        }
    }

    @Test
    void presenceThroughSignInUsesTheSignedInUser() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client c = f.connect();
            EngineFixture.Client stranger = f.connect();
            stranger.subscribePrivate("presence-club");
            stranger.awaitFrame("needs channel_data or a signed-in connection");
            c.signin("{\"id\":\"42\",\"user_info\":{\"name\":\"Ann\"}}");
            c.awaitFrame("signin_success");
            c.subscribePrivate("presence-club");
            c.awaitFrame("\\\"hash\\\":{\\\"42\\\":{\\\"name\\\":\\\"Ann\\\"}}");
        }
    }
}
