package dev.switchboard.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure unit tests: the bytes of a body, the client data rule, the back-off sequence. */
class WebhookPayloadTest {

    @Test
    void bodyMatchesTheProtocolTestVectorByteForByte() {
        byte[] body = WebhookTarget.body(1327078148132L,
                List.of(WebhookEvent.channel(WebhookEventType.CHANNEL_OCCUPIED, "my-channel").payload()));

        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("{\"time_ms\":1327078148132,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"my-channel\"}]}");
        assertThat(Signatures.hmacSha256Hex("7ad3773142a6692b25b8", body))
                .isEqualTo("c19001ae3963ccb13bf618e5b16ba9848e7e74df0993aa0689168e341c6833cf");
    }

    @Test
    void clientDataIsAlwaysAString() {
        assertThat(WebhookEvent.dataAsString("{\"a\":1}")).isEqualTo("{\"a\":1}");
        assertThat(WebhookEvent.dataAsString("\"plain text\"")).isEqualTo("plain text");
        assertThat(WebhookEvent.dataAsString("\"{\\\"x\\\":2}\"")).isEqualTo("{\"x\":2}");
        assertThat(WebhookEvent.dataAsString("[1,2]")).isEqualTo("[1,2]");
        assertThat(WebhookEvent.dataAsString("42")).isEqualTo("42");
        assertThat(WebhookEvent.dataAsString("null")).isEqualTo("null");
        assertThat(WebhookEvent.dataAsString(null)).isNull();
    }

    @Test
    void clientEventWithoutDataHasNoDataField() {
        assertThat(WebhookEvent.client("private-a", "client-x", null, "1.2", null).payload())
                .containsOnlyKeys("name", "channel", "event", "socket_id");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        WebhookSettings s = new WebhookSettings(250, 20, 3000, 4000, 1000, 300, 5000, 1000, 30_000, 4, 2000, 100_000);
        assertThat(List.of(s.backoffCeilingMillis(1), s.backoffCeilingMillis(2), s.backoffCeilingMillis(3),
                s.backoffCeilingMillis(5), s.backoffCeilingMillis(6), s.backoffCeilingMillis(100)))
                .containsExactly(1000L, 2000L, 4000L, 16_000L, 30_000L, 30_000L);
    }

    @Test
    void jitterKeepsTheBackoffBetweenHalfTheCeilingAndTheCeiling() {
        WebhookSettings s = new WebhookSettings(250, 20, 3000, 4000, 1000, 300, 5000, 1000, 30_000, 4, 2000, 100_000);
        assertThat(s.backoffMillis(1, 0.0)).isEqualTo(500L);
        assertThat(s.backoffMillis(1, 0.5)).isEqualTo(750L);
        assertThat(s.backoffMillis(1, 0.999_999)).isEqualTo(999L);
        assertThat(s.backoffMillis(3, 0.0)).isEqualTo(2000L);
        assertThat(s.backoffMillis(100, 0.25)).isEqualTo(18_750L);
        // Growing even with the worst luck: the floor of one step is the ceiling of the step before.
        for (int n = 1; n < 5; n++) {
            assertThat(s.backoffMillis(n + 1, 0.0)).isGreaterThanOrEqualTo(s.backoffMillis(n, 0.999_999));
        }
    }

    @Test
    void eventTypeNamesAreTheWireNames() {
        assertThat(WebhookEventType.fromWireName("member_removed")).isEqualTo(WebhookEventType.MEMBER_REMOVED);
        assertThat(WebhookEventType.fromWireName("user_terminated")).isEqualTo(WebhookEventType.USER_TERMINATED);
        assertThat(WebhookEventType.fromWireName("nope")).isNull();
        assertThat(WebhookEventType.USER_ONLINE.channelScoped()).isFalse();
    }
}
