package dev.switchboard.server.engine;

import dev.switchboard.server.config.AppConfig;

/**
 * What happens in the engine, for webhooks and metrics. Called on event-loop threads: implementations must
 * return at once (queue, count) and never block or throw.
 */
public interface EngineListener {
    EngineListener NONE = new EngineListener() {};

    default void connectionOpened(AppConfig app) {}

    default void connectionClosed(AppConfig app) {}

    default void channelOccupied(AppConfig app, String channel) {}

    /**
     * As above; {@code cancelsHeld}: it cancelled the channel's held vacancy in the shared state (a webhook's leave
     * delay, docs/webhooks.md), so neither is a webhook.
     */
    default void channelOccupied(AppConfig app, String channel, boolean cancelsHeld) {
        channelOccupied(app, channel);
    }

    default void channelVacated(AppConfig app, String channel) {}

    /** As above; {@code held}: recorded as held in the shared state, its webhook waits for the confirmation. */
    default void channelVacated(AppConfig app, String channel, boolean held) {
        channelVacated(app, channel);
    }

    default void subscribed(AppConfig app, String channel) {}

    default void unsubscribed(AppConfig app, String channel) {}

    default void memberAdded(AppConfig app, String channel, String userId) {}

    /** As above; {@code cancelsHeld} as for {@link #channelOccupied(AppConfig, String, boolean)}. */
    default void memberAdded(AppConfig app, String channel, String userId, boolean cancelsHeld) {
        memberAdded(app, channel, userId);
    }

    default void memberRemoved(AppConfig app, String channel, String userId) {}

    /** As above; {@code held} as for {@link #channelVacated(AppConfig, String, boolean)}. */
    default void memberRemoved(AppConfig app, String channel, String userId, boolean held) {
        memberRemoved(app, channel, userId);
    }

    /** {@code dataJson} is the data as the client sent it, as JSON text; {@code userId} null off presence. */
    default void clientEvent(AppConfig app, String channel, String event, String dataJson, String socketId,
                             String userId) {}

    default void cacheMiss(AppConfig app, String channel) {}

    default void subscriptionCount(AppConfig app, String channel, int count) {}

    default void signedIn(AppConfig app, String userId) {}

    /** The user's first signed-in connection opened (cluster-wide once clustered). */
    default void userOnline(AppConfig app, String userId) {}

    /** As above; {@code cancelsHeld} as for {@link #channelOccupied(AppConfig, String, boolean)}. */
    default void userOnline(AppConfig app, String userId, boolean cancelsHeld) {
        userOnline(app, userId);
    }

    /** The user's last signed-in connection closed. */
    default void userOffline(AppConfig app, String userId) {}

    /** As above; {@code held} as for {@link #channelVacated(AppConfig, String, boolean)}. */
    default void userOffline(AppConfig app, String userId, boolean held) {
        userOffline(app, userId);
    }

    default void userTerminated(AppConfig app, String userId) {}

    /** A frame received from a client, of {@code bytes} bytes. */
    default void messageIn(AppConfig app, int bytes) {}

    /** One frame of {@code bytes} bytes handed to {@code recipients} sockets. */
    default void delivered(AppConfig app, int recipients, int bytes) {}

    /** A subscribe refused because the connection already had {@code max_channels_per_connection} channels. */
    default void channelLimitReached(AppConfig app) {}

    /** A subscribe or unsubscribe refused by max_subscription_changes_per_second. */
    default void subscriptionChangeRefused(AppConfig app) {}

    /** An event for an offline user was kept in its inbox; {@code dropped} older ones made room for it. */
    default void inboxKept(AppConfig app, int dropped) {}

    /** At a sign-in, {@code delivered} kept events reached the user and {@code expired} were found too old. */
    default void inboxDrained(AppConfig app, int delivered, int expired) {}

    /** A sign-in refused because the user already had {@code max_connections_per_user} signed-in connections. */
    default void userConnectionLimitReached(AppConfig app) {}

    /** Where an event that passed through the server came from, for the dashboard's debug console. */
    enum Origin { HTTP_API, CLIENT_EVENT, WEBHOOK }

    /**
     * An event passed: published from the HTTP API or by a client, or sent as a webhook. {@code bytes} is the
     * size of the frame (or webhook event) as sent; {@code channel} is null for webhook user events.
     */
    default void eventPublished(AppConfig app, String channel, String event, int bytes, Origin origin) {}

    /** A client could not keep up and was closed. */
    default void slowConsumerClosed(AppConfig app) {}

    /** One listener that forwards to several. */
    static EngineListener of(EngineListener... listeners) {
        return new CompositeListener(listeners);
    }
}
