package dev.switchboard.server.engine;

import dev.switchboard.server.config.AppConfig;

/**
 * What happens in the engine, for webhooks, metrics and the dashboard ({@link EngineListener#on}): every event
 * but the per-delivery one, which stays a method so that fan-out allocates nothing. Each names the app as the
 * engine knew it then. The flags that cancel or hold a leave speak of the shared state's held leaves (a webhook's
 * leave delay, docs/webhooks.md).
 */
public sealed interface EngineEvent {

    AppConfig app();

    record ConnectionOpened(AppConfig app) implements EngineEvent {}

    record ConnectionClosed(AppConfig app) implements EngineEvent {}

    /** {@code cancelsHeld}: it cancelled the channel's held vacancy in the shared state, so neither is a webhook. */
    record ChannelOccupied(AppConfig app, String channel, boolean cancelsHeld) implements EngineEvent {}

    /** {@code held}: recorded as held in the shared state; its webhook waits for the confirmation. */
    record ChannelVacated(AppConfig app, String channel, boolean held) implements EngineEvent {}

    record Subscribed(AppConfig app, String channel) implements EngineEvent {}

    record Unsubscribed(AppConfig app, String channel) implements EngineEvent {}

    /** {@code cancelsHeld} as for {@link ChannelOccupied}. */
    record MemberAdded(AppConfig app, String channel, String userId, boolean cancelsHeld) implements EngineEvent {}

    /** {@code held} as for {@link ChannelVacated}. */
    record MemberRemoved(AppConfig app, String channel, String userId, boolean held) implements EngineEvent {}

    /** {@code dataJson} is the data as the client sent it, as JSON text; {@code userId} null off presence. */
    record ClientEvent(AppConfig app, String channel, String event, String dataJson, String socketId, String userId)
            implements EngineEvent {}

    record CacheMiss(AppConfig app, String channel) implements EngineEvent {}

    record SubscriptionCount(AppConfig app, String channel, int count) implements EngineEvent {}

    record SignedIn(AppConfig app, String userId) implements EngineEvent {}

    /** The user's first signed-in connection opened (cluster-wide); {@code cancelsHeld} as for {@link ChannelOccupied}. */
    record UserOnline(AppConfig app, String userId, boolean cancelsHeld) implements EngineEvent {}

    /** The user's last signed-in connection closed; {@code held} as for {@link ChannelVacated}. */
    record UserOffline(AppConfig app, String userId, boolean held) implements EngineEvent {}

    record UserTerminated(AppConfig app, String userId) implements EngineEvent {}

    /** The user was banned through the HTTP API until {@code untilMs} (epoch ms); its sign-ins are refused until then. */
    record UserBanned(AppConfig app, String userId, long untilMs) implements EngineEvent {}

    /** The user's ban was lifted through the HTTP API (a ban that ends by itself tells nothing). */
    record UserUnbanned(AppConfig app, String userId) implements EngineEvent {}

    /** A frame received from a client, of {@code bytes} bytes. */
    record MessageIn(AppConfig app, int bytes) implements EngineEvent {}

    /** A subscribe refused because the connection already had {@code max_channels_per_connection} channels. */
    record ChannelLimitReached(AppConfig app) implements EngineEvent {}

    /** A subscribe or unsubscribe refused by max_subscription_changes_per_second. */
    record SubscriptionChangeRefused(AppConfig app) implements EngineEvent {}

    /** An event for an offline user was kept in its inbox; {@code dropped} older ones made room for it. */
    record InboxKept(AppConfig app, int dropped) implements EngineEvent {}

    /** Channel resume: {@code events} replayed to one connection. */
    record ResumeReplayed(AppConfig app, int events) implements EngineEvent {}

    /** Channel resume: the window no longer covered a connection's gap; {@code lost} events could not be replayed. */
    record ResumeIncomplete(AppConfig app, long lost) implements EngineEvent {}

    /** At a sign-in, {@code delivered} kept events reached the user and {@code expired} were found too old. */
    record InboxDrained(AppConfig app, int delivered, int expired) implements EngineEvent {}

    /** A sign-in refused because the user already had {@code max_connections_per_user} signed-in connections. */
    record UserConnectionLimitReached(AppConfig app) implements EngineEvent {}

    /** A sign-in the app's auth endpoint signed was refused because the user is banned ({@link Bans}). */
    record SignInBanned(AppConfig app) implements EngineEvent {}

    /**
     * An event passed: published from the HTTP API or by a client, or sent as a webhook. {@code bytes} is the size
     * of the frame (or webhook event) as sent; {@code channel} is null for webhook user events.
     */
    record EventPublished(AppConfig app, String channel, String event, int bytes, Origin origin) implements EngineEvent {}

    /** A client could not keep up and was closed. */
    record SlowConsumerClosed(AppConfig app) implements EngineEvent {}

    /** Where an event that passed through the server came from, for the dashboard's debug console. */
    enum Origin { HTTP_API, CLIENT_EVENT, WEBHOOK }
}
