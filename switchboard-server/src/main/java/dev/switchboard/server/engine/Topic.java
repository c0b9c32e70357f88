package dev.switchboard.server.engine;

/**
 * Where a frame published through the {@link Broker} goes: the subscribers of one channel, the connections of
 * one user, or the connections of the users watching one user. A node receives a topic's frames only while it
 * has said it is interested ({@link Broker#interest}).
 */
public record Topic(Kind kind, String appId, String name) {

    public enum Kind {
        /** {@code name} is a channel name; delivered to the channel's local subscribers. */
        CHANNEL,
        /** {@code name} is a user id; delivered to the user's local signed-in connections. */
        USER,
        /** {@code name} is a watched user id; delivered to the local connections of users watching it. */
        WATCHERS
    }

    public static Topic channel(String appId, String channel) {
        return new Topic(Kind.CHANNEL, appId, channel);
    }

    public static Topic user(String appId, String userId) {
        return new Topic(Kind.USER, appId, userId);
    }

    public static Topic watchers(String appId, String watchedUserId) {
        return new Topic(Kind.WATCHERS, appId, watchedUserId);
    }
}
