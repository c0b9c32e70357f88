package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the server said about one channel. Counts are null when they were not asked for (or do not apply);
 * {@code occupied} is null where the answer does not carry it (trigger and batch info, channel lists, which
 * only ever list occupied channels); {@code cache} is null when not asked for or the cache is empty.
 */
public record ChannelInfo(Boolean occupied, Integer userCount, Integer subscriptionCount, CachedEvent cache) {

    /** The last event a cache channel holds and how long it stays there. */
    public record CachedEvent(String event, String data, Integer ttlSeconds) {}

    static ChannelInfo from(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new ChannelInfo(null, null, null, null);
        }
        CachedEvent cache = null;
        JsonNode c = node.get("cache");
        if (c != null && c.isObject()) {
            cache = new CachedEvent(text(c.get("event")), text(c.get("data")), integer(c.get("ttl")));
        }
        JsonNode occupied = node.get("occupied");
        return new ChannelInfo(occupied == null || !occupied.isBoolean() ? null : occupied.booleanValue(),
                integer(node.get("user_count")), integer(node.get("subscription_count")), cache);
    }

    static Integer integer(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.intValue();
    }

    static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.textValue() : n.toString();
    }
}
