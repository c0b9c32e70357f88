package dev.switchboard.sdk.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.protocol.Signatures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Webhook verification with the vector of PROTOCOL.md §7.1, and every event type. */
class WebhookTest {
    private static final String KEY = "278d425bdf160c739803";
    private static final String SECRET = "7ad3773142a6692b25b8";
    private static final byte[] BODY = "{\"time_ms\":1327078148132,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"my-channel\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "c19001ae3963ccb13bf618e5b16ba9848e7e74df0993aa0689168e341c6833cf";

    private final Webhook webhook = new Webhook(KEY, SECRET);

    @Test
    void documentedVectorVerifies() {
        WebhookBatch batch = webhook.verify(KEY, SIGNATURE, BODY);
        assertThat(batch.timeMs()).isEqualTo(1327078148132L);
        assertThat(batch.events()).containsExactly(new WebhookEvent.ChannelOccupied("my-channel"));
        assertThat(batch.events().get(0).name()).isEqualTo("channel_occupied");
        // Headers may come padded or upper-cased (pusher-http-java trims).
        assertThat(webhook.isValid(" " + KEY + " ", SIGNATURE.toUpperCase() + "\n", BODY)).isTrue();
    }

    @Test
    void wrongKeySignatureOrBodyIsRejected() {
        assertThat(webhook.isValid("other-key", SIGNATURE, BODY)).isFalse();
        assertThat(webhook.isValid(KEY, SIGNATURE.replace('c', 'd'), BODY)).isFalse();
        assertThat(webhook.isValid(KEY, SIGNATURE, "{}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(webhook.isValid(null, SIGNATURE, BODY)).isFalse();
        assertThat(webhook.isValid(KEY, null, BODY)).isFalse();
        assertThat(webhook.isValid(KEY, "", BODY)).isFalse();
        assertThatThrownBy(() -> webhook.verify(KEY, "00", BODY))
                .isInstanceOf(InvalidWebhookException.class)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void signedButUnreadableBodyIsRejected() {
        byte[] body = "not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> webhook.verify(KEY, Signatures.hmacSha256Hex(SECRET, body), body))
                .isInstanceOf(InvalidWebhookException.class);
        byte[] noEvents = "{\"time_ms\":1}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> webhook.verify(KEY, Signatures.hmacSha256Hex(SECRET, noEvents), noEvents))
                .isInstanceOf(InvalidWebhookException.class);
    }

    @Test
    void everyEventType() {
        String json = "{\"time_ms\":5,\"events\":["
                + "{\"name\":\"channel_occupied\",\"channel\":\"a\"},"
                + "{\"name\":\"channel_vacated\",\"channel\":\"a\"},"
                + "{\"name\":\"member_added\",\"channel\":\"presence-p\",\"user_id\":\"u1\"},"
                + "{\"name\":\"member_removed\",\"channel\":\"presence-p\",\"user_id\":\"u1\"},"
                + "{\"name\":\"client_event\",\"channel\":\"presence-p\",\"event\":\"client-x\",\"data\":\"{\\\"a\\\":1}\","
                + "\"socket_id\":\"1.2\",\"user_id\":\"u1\"},"
                + "{\"name\":\"client_event\",\"channel\":\"private-q\",\"event\":\"client-y\",\"data\":{\"b\":2},\"socket_id\":\"3.4\"},"
                + "{\"name\":\"cache_miss\",\"channel\":\"cache-c\"},"
                + "{\"name\":\"subscription_count\",\"channel\":\"s\",\"subscription_count\":7},"
                + "{\"name\":\"user_online\",\"user_id\":\"u2\"},"
                + "{\"name\":\"user_offline\",\"user_id\":\"u2\"},"
                + "{\"name\":\"user_terminated\",\"user_id\":\"u3\"},"
                + "{\"name\":\"something_new\",\"x\":1}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        WebhookBatch batch = webhook.verify(KEY, Signatures.hmacSha256Hex(SECRET, body), body);
        assertThat(batch.timeMs()).isEqualTo(5);
        assertThat(batch.events()).containsExactly(
                new WebhookEvent.ChannelOccupied("a"),
                new WebhookEvent.ChannelVacated("a"),
                new WebhookEvent.MemberAdded("presence-p", "u1"),
                new WebhookEvent.MemberRemoved("presence-p", "u1"),
                new WebhookEvent.ClientEvent("presence-p", "client-x", "{\"a\":1}", "1.2", "u1"),
                new WebhookEvent.ClientEvent("private-q", "client-y", "{\"b\":2}", "3.4", null),
                new WebhookEvent.CacheMiss("cache-c"),
                new WebhookEvent.SubscriptionCount("s", 7),
                new WebhookEvent.UserOnline("u2"),
                new WebhookEvent.UserOffline("u2"),
                new WebhookEvent.UserTerminated("u3"),
                new WebhookEvent.Unknown("something_new", "{\"name\":\"something_new\",\"x\":1}"));
        for (WebhookEvent e : batch.events()) {
            assertThat(e.name()).isNotEmpty();
        }
    }

    @Test
    void banEventsAreTyped() {
        String json = "{\"time_ms\":9,\"events\":["
                + "{\"name\":\"user_banned\",\"user_id\":\"u4\",\"banned_until_ms\":1765000000000},"
                + "{\"name\":\"user_unbanned\",\"user_id\":\"u4\"}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        WebhookBatch batch = webhook.verify(KEY, Signatures.hmacSha256Hex(SECRET, body), body);
        assertThat(batch.events()).containsExactly(
                new WebhookEvent.UserBanned("u4", 1765000000000L),
                new WebhookEvent.UserUnbanned("u4"));
        assertThat(batch.events()).extracting(WebhookEvent::name).containsExactly("user_banned", "user_unbanned");
    }

    @Test
    void secretStaysOutOfToString() {
        assertThat(webhook.toString()).doesNotContain(SECRET);
    }
}
