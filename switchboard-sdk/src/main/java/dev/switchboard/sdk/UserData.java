package dev.switchboard.sdk;

import java.util.List;

/**
 * The user a connection signs in as: id (required, the user-id alphabet), optional {@code user_info} (any
 * value Jackson can serialise; shared with presence channels joined through sign-in) and optional
 * watchlist of user ids. Becomes the signed {@code user_data} {@code {"id":…,"user_info":…,"watchlist":[…]}}.
 */
public record UserData(String id, Object userInfo, List<String> watchlist) {

    public UserData {
        Checks.userId(id);
        if (watchlist != null) {
            watchlist.forEach(Checks::userId);
            watchlist = List.copyOf(watchlist);
        }
    }

    public static UserData of(String id) {
        return new UserData(id, null, null);
    }

    public UserData withUserInfo(Object info) {
        return new UserData(id, info, watchlist);
    }

    public UserData withWatchlist(List<String> ids) {
        return new UserData(id, userInfo, ids);
    }
}
