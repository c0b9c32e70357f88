package dev.switchboard.server.engine;

import java.util.List;

/**
 * What the server holds about one user (the user data API): whether it is online, its connections, the
 * user_info from its sign-in (or from a PUT), its watchlist and the channels its connections subscribe to.
 * {@code userInfoJson} is JSON text or null. {@code bannedUntilMs}: the end of its ban (epoch ms, {@link Bans}), 0 when
 * it has none.
 */
public record UserSnapshot(String id, boolean online, int connections, String userInfoJson,
                           List<String> watchlist, List<String> channels, int inboxCount, long bannedUntilMs) {

    public UserSnapshot(String id, boolean online, int connections, String userInfoJson, List<String> watchlist,
                        List<String> channels, int inboxCount) {
        this(id, online, connections, userInfoJson, watchlist, channels, inboxCount, 0);
    }

    /** Without the inbox count (an implementation adds it after reading the inbox). */
    public UserSnapshot(String id, boolean online, int connections, String userInfoJson, List<String> watchlist,
                        List<String> channels) {
        this(id, online, connections, userInfoJson, watchlist, channels, 0);
    }

    public UserSnapshot withInboxCount(int count) {
        return new UserSnapshot(id, online, connections, userInfoJson, watchlist, channels, count, bannedUntilMs);
    }

    public UserSnapshot withBan(long untilMs) {
        return new UserSnapshot(id, online, connections, userInfoJson, watchlist, channels, inboxCount, untilMs);
    }
}
