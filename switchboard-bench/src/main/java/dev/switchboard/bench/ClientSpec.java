package dev.switchboard.bench;

/**
 * What one WebSocket client does once connected: optionally sign in as {@code userId} (and then
 * subscribe to its {@code #server-to-user-} channel, as pusher-js does), optionally subscribe to
 * {@code channel} — a presence channel when {@code presenceUserId} is set. {@code countMembers} makes it
 * count presence member events (the stationary observers of the presence scenario).
 */
final class ClientSpec {
    final String channel;
    final String userId;
    final String presenceUserId;
    final boolean countMembers;

    ClientSpec(String channel, String userId, String presenceUserId, boolean countMembers) {
        this.channel = channel;
        this.userId = userId;
        this.presenceUserId = presenceUserId;
        this.countMembers = countMembers;
    }

    static ClientSpec subscriber(String channel) {
        return new ClientSpec(channel, null, null, false);
    }

    static ClientSpec user(String userId) {
        return new ClientSpec(null, userId, null, false);
    }
}
