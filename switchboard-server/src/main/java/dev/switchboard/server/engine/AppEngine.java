package dev.switchboard.server.engine;

import dev.switchboard.server.config.AppConfig;
import java.util.List;
import java.util.Map;

/** SKELETON — being implemented on main; signatures are the contract. One app's channels and users. */
public final class AppEngine {
    public AppConfig config() { throw new UnsupportedOperationException(); }

    /** Publish from the HTTP API; a #server-to-user-<id> channel goes to that user's connections. Caches on cache channels. */
    public void trigger(String channel, String event, String data, String exceptSocketId) { throw new UnsupportedOperationException(); }

    public ChannelStats channelStats(String channel) { throw new UnsupportedOperationException(); }

    /** Occupied channels whose name starts with prefix (null: all), never #server-to-user-. */
    public Map<String, ChannelStats> occupiedChannels(String prefix) { throw new UnsupportedOperationException(); }

    /** Distinct user ids of a presence channel; empty when unoccupied. */
    public List<String> presenceUserIds(String channel) { throw new UnsupportedOperationException(); }

    public void terminateUser(String userId) { throw new UnsupportedOperationException(); }

    /** Null when the server holds nothing about the user. */
    public UserSnapshot user(String userId) { throw new UnsupportedOperationException(); }

    public UserPage onlineUsers(String cursor, int limit) { throw new UnsupportedOperationException(); }

    /** Replaces the user_info held for an online user; false when the user is unknown. */
    public boolean updateUserInfo(String userId, String userInfoJson) { throw new UnsupportedOperationException(); }

    /** Terminates and erases; null when the user is unknown. */
    public UserErasure deleteUser(String userId) { throw new UnsupportedOperationException(); }

    public int connectionCount() { throw new UnsupportedOperationException(); }
}
