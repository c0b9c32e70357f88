package dev.switchboard.server.engine;

import java.util.List;

/** What a user-data DELETE erased: connections closed, presence memberships left, watchlist and info dropped. */
public record UserErasure(String id, int connectionsClosed, List<String> presenceChannelsLeft,
                          boolean userInfoErased, int watchlistEntriesErased, int watcherEntriesErased) {}
