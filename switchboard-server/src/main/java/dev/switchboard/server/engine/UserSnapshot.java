package dev.switchboard.server.engine;

import java.util.List;

/**
 * What the server holds about one user (the user data API): whether it is online, its connections, the
 * user_info from its sign-in (or from a PUT), its watchlist and the channels its connections subscribe to.
 * {@code userInfoJson} is JSON text or null.
 */
public record UserSnapshot(String id, boolean online, int connections, String userInfoJson,
                           List<String> watchlist, List<String> channels, int inboxCount) {

    /** Without the inbox count (an implementation adds it after reading the inbox). */
    public UserSnapshot(String id, boolean online, int connections, String userInfoJson, List<String> watchlist,
                        List<String> channels) {
        this(id, online, connections, userInfoJson, watchlist, channels, 0);
    }

    public UserSnapshot withInboxCount(int count) {
        return new UserSnapshot(id, online, connections, userInfoJson, watchlist, channels, count);
    }
}
