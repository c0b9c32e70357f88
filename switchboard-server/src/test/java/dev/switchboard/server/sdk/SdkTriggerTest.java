package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.sdk.BatchEvent;
import dev.switchboard.sdk.BatchResult;
import dev.switchboard.sdk.PresenceData;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.sdk.SwitchboardException;
import dev.switchboard.sdk.TriggerOptions;
import dev.switchboard.sdk.TriggerResult;
import dev.switchboard.sdk.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** trigger, triggerBatch and encrypted triggers through the real server to real sockets. */
class SdkTriggerTest extends SdkServer {

    @Test
    void stringsArriveAsSentAndObjectsAsJson() {
        RawSocket s = socket();
        s.subscribe("news", null);
        TriggerResult result = client.trigger("news", "plain", "hello world");
        assertThat(result.status()).isEqualTo(200);
        RawSocket.assertEventData(s.awaitEvent("news", "plain"), "hello world");
        client.trigger("news", "object", Map.of("a", 1));
        RawSocket.assertEventData(s.awaitEvent("news", "object"), "{\"a\":1}");
    }

    @Test
    void severalChannelsAndSocketExclusion() {
        RawSocket sender = socket();
        RawSocket other = socket();
        sender.subscribe("room-1", null);
        other.subscribe("room-1", null);
        other.subscribe("room-2", null);

        client.trigger(List.of("room-1", "room-2"), "both", "x");
        other.awaitEvent("room-1", "both");
        other.awaitEvent("room-2", "both");

        client.trigger("room-1", "not-to-sender", "y", TriggerOptions.excluding(sender.socketId));
        other.awaitEvent("room-1", "not-to-sender");
        client.trigger("room-1", "to-all", "z");
        sender.awaitEvent("room-1", "to-all"); // ordered per socket: the excluded event would have come first
        assertThat(sender.received(f -> "not-to-sender".equals(RawSocket.event(f)))).isFalse();
    }

    @Test
    void infoReturnsPresenceCounts() {
        RawSocket s = socket();
        s.subscribe("presence-lobby", client.authorizeChannel(s.socketId, "presence-lobby",
                new PresenceData("u1", Map.of("name", "Ann"))));
        TriggerResult result = client.trigger(List.of("presence-lobby"), "ping", "{}",
                TriggerOptions.NONE.withInfo("user_count"));
        assertThat(result.channels().get("presence-lobby").userCount()).isEqualTo(1);
    }

    @Test
    void batchDeliversEachItemAndReturnsInfo() {
        RawSocket s = socket();
        s.subscribe("a", null);
        s.subscribe("presence-b", client.authorizeChannel(s.socketId, "presence-b", PresenceData.of("u9")));
        BatchResult result = client.triggerBatch(List.of(
                BatchEvent.of("a", "first", Map.of("n", 1)),
                BatchEvent.of("presence-b", "second", "two").withInfo("user_count")));
        RawSocket.assertEventData(s.awaitEvent("a", "first"), "{\"n\":1}");
        RawSocket.assertEventData(s.awaitEvent("presence-b", "second"), "two");
        assertThat(result.batch()).hasSize(2);
        assertThat(result.batch().get(1).userCount()).isEqualTo(1);
    }

    @Test
    void encryptedEventsOpenWithTheSharedSecretOnly() {
        RawSocket s = socket();
        String channel = "private-encrypted-vault";
        String answer = client.authorizeChannel(s.socketId, channel);
        String sharedSecret = RawSocket.parse(answer).get("shared_secret").textValue();
        s.subscribe(channel, answer);

        client.trigger(channel, "sealed", Map.of("message", "top secret"));
        JsonNode data = RawSocket.data(s.awaitEvent(channel, "sealed"));
        assertThat(data.toString()).doesNotContain("top secret");
        byte[] plain = SecretBox.open(Base64.getDecoder().decode(sharedSecret),
                Base64.getDecoder().decode(data.get("nonce").textValue()),
                Base64.getDecoder().decode(data.get("ciphertext").textValue()));
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"top secret\"}");
    }

    @Test
    void asyncTriggerDelivers() {
        RawSocket s = socket();
        s.subscribe("async", null);
        assertThat(client.async().trigger("async", "later", "x").join().status()).isEqualTo(200);
        s.awaitEvent("async", "later");
    }

    @Test
    void serverRefusalsSurfaceWithStatusAndMessage() {
        SwitchboardClient wrongSecret = clientWith("not-the-secret").build();
        assertThatThrownBy(() -> wrongSecret.trigger("news", "e", "d"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.serverMessage()).contains("Invalid signature");
                    assertThat(e.getMessage()).doesNotContain("not-the-secret").doesNotContain(SECRET);
                });
        SwitchboardClient lenient = clientWith(SECRET).maxEventDataBytes(100_000).build();
        assertThatThrownBy(() -> lenient.trigger("news", "big", "x".repeat(11 * 1024)))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThatThrownBy(() -> client.channels("news", "user_count"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
