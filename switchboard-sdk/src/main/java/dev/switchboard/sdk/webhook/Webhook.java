package dev.switchboard.sdk.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.protocol.Signatures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Verifies webhooks of one app and reads them. Hand it the {@code X-Pusher-Key} and
 * {@code X-Pusher-Signature} header values and the body bytes exactly as received (before any JSON
 * parsing: the signature is over those bytes).
 *
 * <pre>{@code
 * WebhookBatch batch = client.webhook().verify(
 *         exchange.getRequestHeaders().getFirst("X-Pusher-Key"),
 *         exchange.getRequestHeaders().getFirst("X-Pusher-Signature"),
 *         exchange.getRequestBody().readAllBytes());
 * }</pre>
 */
public final class Webhook {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String key;
    private final String secret;

    public Webhook(String key, String secret) {
        if (key == null || key.isEmpty() || secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("A webhook verifier needs the app key and secret");
        }
        this.key = key;
        this.secret = secret;
    }

    /** True when key and signature are this app's for {@code body}; both compared in constant time. */
    public boolean isValid(String keyHeader, String signatureHeader, byte[] body) {
        if (keyHeader == null || signatureHeader == null || body == null) {
            return false;
        }
        boolean keyOk = Signatures.matches(key, keyHeader.trim());
        boolean signatureOk = Signatures.matches(Signatures.hmacSha256Hex(secret, body),
                signatureHeader.trim().toLowerCase(Locale.ROOT));
        return keyOk & signatureOk;
    }

    /**
     * The events of a webhook after checking it was signed by this app.
     *
     * @throws InvalidWebhookException when the key or signature is wrong or the body is not a webhook
     */
    public WebhookBatch verify(String keyHeader, String signatureHeader, byte[] body) {
        if (!isValid(keyHeader, signatureHeader, body)) {
            throw new InvalidWebhookException("Invalid webhook: wrong X-Pusher-Key or X-Pusher-Signature");
        }
        return parse(body);
    }

    /** Reads a webhook body without checking anything; for bodies already verified elsewhere. */
    public static WebhookBatch parse(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidWebhookException("Webhook body is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("events").isArray()) {
            throw new InvalidWebhookException("Webhook body needs an events array");
        }
        List<WebhookEvent> events = new ArrayList<>();
        for (JsonNode e : root.get("events")) {
            events.add(event(e));
        }
        return new WebhookBatch(root.path("time_ms").asLong(0), events);
    }

    static WebhookEvent event(JsonNode e) {
        String name = text(e.get("name"));
        String channel = text(e.get("channel"));
        String userId = text(e.get("user_id"));
        if (name == null) {
            return new WebhookEvent.Unknown("", e.toString());
        }
        switch (name) {
            case "channel_occupied":
                return new WebhookEvent.ChannelOccupied(channel);
            case "channel_vacated":
                return new WebhookEvent.ChannelVacated(channel);
            case "member_added":
                return new WebhookEvent.MemberAdded(channel, userId);
            case "member_removed":
                return new WebhookEvent.MemberRemoved(channel, userId);
            case "client_event":
                return new WebhookEvent.ClientEvent(channel, text(e.get("event")), text(e.get("data")),
                        text(e.get("socket_id")), userId);
            case "cache_miss":
                return new WebhookEvent.CacheMiss(channel);
            case "subscription_count":
                return new WebhookEvent.SubscriptionCount(channel, e.path("subscription_count").asInt(0));
            case "user_online":
                return new WebhookEvent.UserOnline(userId);
            case "user_offline":
                return new WebhookEvent.UserOffline(userId);
            case "user_terminated":
                return new WebhookEvent.UserTerminated(userId);
            case "user_banned":
                return new WebhookEvent.UserBanned(userId, e.path("banned_until_ms").asLong(0));
            case "user_unbanned":
                return new WebhookEvent.UserUnbanned(userId);
            default:
                return new WebhookEvent.Unknown(name, e.toString());
        }
    }

    /** A string field as it is; any other JSON value as its JSON text; absent or null as null. */
    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return n.isTextual() ? n.textValue() : n.toString();
    }

    @Override
    public String toString() {
        return "Webhook[key=" + key + "]";
    }
}
