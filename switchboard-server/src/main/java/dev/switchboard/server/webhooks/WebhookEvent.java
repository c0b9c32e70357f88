package dev.switchboard.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One webhook event as the engine reported it. Built on the event loop (a plain record, no JSON work);
 * {@link #payload()} turns it into the wire object on the webhook thread.
 *
 * @param channel           null for user events
 * @param userId            member and user events, and client events on presence channels
 * @param event             client events: the client event name
 * @param dataJson          client events: the data as the client sent it, as JSON text (null when absent)
 * @param socketId          client events: the sender
 * @param subscriptionCount subscription_count events
 * @param bannedUntilMs     user_banned events: the ban's end, epoch ms
 */
record WebhookEvent(WebhookEventType type, String channel, String userId, String event, String dataJson,
                    String socketId, int subscriptionCount, long bannedUntilMs) {

    WebhookEvent(WebhookEventType type, String channel, String userId, String event, String dataJson,
                 String socketId, int subscriptionCount) {
        this(type, channel, userId, event, dataJson, socketId, subscriptionCount, 0);
    }

    static WebhookEvent banned(String userId, long untilMs) {
        return new WebhookEvent(WebhookEventType.USER_BANNED, null, userId, null, null, null, 0, untilMs);
    }

    static WebhookEvent channel(WebhookEventType type, String channel) {
        return new WebhookEvent(type, channel, null, null, null, null, 0);
    }

    static WebhookEvent member(WebhookEventType type, String channel, String userId) {
        return new WebhookEvent(type, channel, userId, null, null, null, 0);
    }

    static WebhookEvent user(WebhookEventType type, String userId) {
        return new WebhookEvent(type, null, userId, null, null, null, 0);
    }

    static WebhookEvent client(String channel, String event, String dataJson, String socketId, String userId) {
        return new WebhookEvent(WebhookEventType.CLIENT_EVENT, channel, userId, event, dataJson, socketId, 0);
    }

    static WebhookEvent subscriptionCount(String channel, int count) {
        return new WebhookEvent(WebhookEventType.SUBSCRIPTION_COUNT, channel, null, null, null, null, count);
    }

    /** The event object of the POST body, fields in the order Pusher documents them. Immutable once built. */
    Map<String, Object> payload() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", type.wireName());
        if (channel != null) {
            m.put("channel", channel);
        }
        switch (type) {
            case CLIENT_EVENT:
                m.put("event", event);
                String data = dataAsString(dataJson);
                if (data != null) {
                    m.put("data", data);
                }
                m.put("socket_id", socketId);
                if (userId != null) {
                    m.put("user_id", userId);
                }
                break;
            case SUBSCRIPTION_COUNT:
                m.put("subscription_count", subscriptionCount);
                break;
            case MEMBER_ADDED:
            case MEMBER_REMOVED:
            case USER_ONLINE:
            case USER_OFFLINE:
            case USER_TERMINATED:
            case USER_UNBANNED:
                m.put("user_id", userId);
                break;
            case USER_BANNED:
                m.put("user_id", userId);
                m.put("banned_until_ms", bannedUntilMs);
                break;
            default:
                break;
        }
        return m;
    }

    /**
     * Pusher documents {@code client_event.data} as a string: a string the client sent is passed as is,
     * anything else (usually an object) as its JSON text (PROTOCOL.md §7.2).
     */
    static String dataAsString(String dataJson) {
        if (dataJson == null) {
            return null;
        }
        String trimmed = dataJson.strip();
        if (trimmed.startsWith("\"")) {
            JsonNode node = WireCodec.parse(trimmed);
            if (node != null && node.isTextual()) {
                return node.textValue();
            }
        }
        return dataJson;
    }
}
