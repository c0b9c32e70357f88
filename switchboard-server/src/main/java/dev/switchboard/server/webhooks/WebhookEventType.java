package dev.switchboard.server.webhooks;

import java.util.Locale;

/**
 * The webhook event names (PROTOCOL.md §7.2) and Switchboard's user events. The wire name is also what an
 * app lists in {@code event_types}.
 */
public enum WebhookEventType {
    CHANNEL_OCCUPIED(true),
    CHANNEL_VACATED(true),
    MEMBER_ADDED(true),
    MEMBER_REMOVED(true),
    CLIENT_EVENT(true),
    CACHE_MISS(true),
    SUBSCRIPTION_COUNT(true),
    /** Switchboard extension: the user's first signed-in connection opened. */
    USER_ONLINE(false),
    /** Switchboard extension: the user's last signed-in connection closed. */
    USER_OFFLINE(false),
    /** Switchboard extension: the user's connections were terminated through the HTTP API. */
    USER_TERMINATED(false),
    /** Switchboard extension: the user was banned through the HTTP API ({@code banned_until_ms} says until when). */
    USER_BANNED(false),
    /** Switchboard extension: the user's ban was lifted through the HTTP API (not sent when a ban ends by itself). */
    USER_UNBANNED(false);

    private final String wireName;
    private final boolean channelScoped;

    WebhookEventType(boolean channelScoped) {
        this.wireName = name().toLowerCase(Locale.ROOT);
        this.channelScoped = channelScoped;
    }

    /** The {@code name} field of the event, e.g. {@code channel_occupied}. */
    public String wireName() { return wireName; }

    /** Whether the event has a {@code channel} (and so is subject to a target's channel prefix). */
    public boolean channelScoped() { return channelScoped; }

    /** The type with this wire name, or null when there is none. */
    public static WebhookEventType fromWireName(String name) {
        for (WebhookEventType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
