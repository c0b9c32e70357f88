package dev.switchboard.sdk.webhook;

/**
 * One event of a webhook (PROTOCOL.md §7.2 plus Switchboard's user events). Names the server may add later
 * arrive as {@link Unknown} with their raw JSON.
 */
public sealed interface WebhookEvent {

    /** The event's {@code name} on the wire. */
    String name();

    /** A channel went from no subscribers to one. */
    record ChannelOccupied(String channel) implements WebhookEvent {
        public String name() { return "channel_occupied"; }
    }

    /** A channel's last subscriber left (after the server's grace delay). */
    record ChannelVacated(String channel) implements WebhookEvent {
        public String name() { return "channel_vacated"; }
    }

    /** A user's first connection joined a presence channel. */
    record MemberAdded(String channel, String userId) implements WebhookEvent {
        public String name() { return "member_added"; }
    }

    /** A user's last connection left a presence channel. */
    record MemberRemoved(String channel, String userId) implements WebhookEvent {
        public String name() { return "member_removed"; }
    }

    /**
     * A client event on a private or presence channel; {@code data} as the client sent it (JSON text if it
     * sent an object), {@code userId} only on presence channels.
     */
    record ClientEvent(String channel, String event, String data, String socketId, String userId)
            implements WebhookEvent {
        public String name() { return "client_event"; }
    }

    /** A subscription to an empty cache channel. */
    record CacheMiss(String channel) implements WebhookEvent {
        public String name() { return "cache_miss"; }
    }

    /** The subscriber count of a non-presence channel changed. */
    record SubscriptionCount(String channel, int subscriptionCount) implements WebhookEvent {
        public String name() { return "subscription_count"; }
    }

    /** A user's first signed-in connection opened (Switchboard). */
    record UserOnline(String userId) implements WebhookEvent {
        public String name() { return "user_online"; }
    }

    /** A user's last signed-in connection closed (Switchboard). */
    record UserOffline(String userId) implements WebhookEvent {
        public String name() { return "user_offline"; }
    }

    /** A user's connections were terminated through the API (Switchboard). */
    record UserTerminated(String userId) implements WebhookEvent {
        public String name() { return "user_terminated"; }
    }

    /** The user was banned through the API until {@code bannedUntilMs} (epoch ms): sign-ins are refused (Switchboard). */
    record UserBanned(String userId, long bannedUntilMs) implements WebhookEvent {
        public String name() { return "user_banned"; }
    }

    /** The user's ban was lifted through the API; a ban that simply ends sends none (Switchboard). */
    record UserUnbanned(String userId) implements WebhookEvent {
        public String name() { return "user_unbanned"; }
    }

    /** An event this SDK does not know, with its whole JSON object. */
    record Unknown(String name, String json) implements WebhookEvent {}
}
