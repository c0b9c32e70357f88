package dev.switchboard.server.engine;

import java.util.List;

/** What a user-data DELETE erased: connections closed, presence memberships left, watchlist, info and inbox dropped. */
public record UserErasure(String id, int connectionsClosed, List<String> presenceChannelsLeft,
                          boolean userInfoErased, int watchlistEntriesErased, int watcherEntriesErased,
                          int inboxEventsErased) {

    public UserErasure(String id, int connectionsClosed, List<String> presenceChannelsLeft, boolean userInfoErased,
                       int watchlistEntriesErased, int watcherEntriesErased) {
        this(id, connectionsClosed, presenceChannelsLeft, userInfoErased, watchlistEntriesErased,
                watcherEntriesErased, 0);
    }
}
