package dev.switchboard.server.engine;

import java.util.concurrent.CompletionStage;

/**
 * What the user data API reads and erases about a user over the cluster (docs/users.md): its snapshot, the page of
 * users online, its user_info, and the erasure of everything held about it. Queries may fail (the HTTP API answers
 * 503 then).
 */
public interface UserData {

    /** Null when nothing is held about the user. */
    CompletionStage<UserSnapshot> user(String appId, String userId);

    CompletionStage<UserPage> users(String appId, String cursor, int limit);

    /** The user_info held for the user, null when none. */
    CompletionStage<String> userInfo(String appId, String userId);

    /** Replaces the user_info of an online user; false when the user is not online. */
    CompletionStage<Boolean> updateUserInfo(String appId, String userId, String userInfoJson);

    /**
     * Erases what is held about the user everywhere (entry, watchlist, its place in others' watchlists, its inbox),
     * at once, so the closing sockets find nothing; their later {@link OnlineUsers#signOut}s then decide nothing.
     * Null when unknown. The caller terminates the connections and tells the watchers.
     */
    CompletionStage<UserErasure> eraseUser(String appId, String userId);
}
