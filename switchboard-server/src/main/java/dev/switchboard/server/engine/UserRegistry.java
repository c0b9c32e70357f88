package dev.switchboard.server.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User id → the connections signed in as that user, with what the server holds about the user (user_info,
 * watchlist). The one place the engine learns who a connection is. An entry exists exactly while the user
 * has a signed-in connection on this node; online/offline transitions are decided atomically per user.
 */
final class UserRegistry {

    /** What is held about one signed-in user. Connections set is concurrent; the rest is replaced whole. */
    static final class User {
        final String id;
        final Set<Connection> connections = ConcurrentHashMap.newKeySet();
        volatile String userInfoJson;
        volatile List<String> watchlist = List.of();

        User(String id) {
            this.id = id;
        }
    }

    /** Result of a sign-in: the user, whether it just came online, and the watchlist it replaced. */
    record SignIn(User user, boolean cameOnline, List<String> previousWatchlist) {}

    /** Result of a sign-out: the user's last watchlist if it just went offline, else null. */
    record SignOut(boolean wentOffline, List<String> lastWatchlist) {}

    private final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();

    SignIn signIn(Connection c, String id, String userInfoJson, List<String> watchlist) {
        boolean[] first = new boolean[1];
        List<String>[] previous = newListHolder();
        User user = users.compute(id, (k, u) -> {
            if (u == null) {
                u = new User(k);
            }
            first[0] = u.connections.isEmpty();
            previous[0] = u.watchlist;
            u.connections.add(c);
            u.userInfoJson = userInfoJson;
            u.watchlist = List.copyOf(watchlist);
            return u;
        });
        return new SignIn(user, first[0], previous[0]);
    }

    SignOut signOut(Connection c, String id) {
        boolean[] last = new boolean[1];
        List<String>[] watchlist = newListHolder();
        users.computeIfPresent(id, (k, u) -> {
            if (!u.connections.remove(c)) {
                return u;
            }
            if (u.connections.isEmpty()) {
                last[0] = true;
                watchlist[0] = u.watchlist;
                return null;
            }
            return u;
        });
        return new SignOut(last[0], watchlist[0]);
    }

    /** Drops the user's entry at once (data deletion); its connections are being closed by the caller. */
    User erase(String id) {
        return users.remove(id);
    }

    User get(String id) {
        return users.get(id);
    }

    boolean isOnline(String id) {
        User u = users.get(id);
        return u != null && !u.connections.isEmpty();
    }

    int size() {
        return users.size();
    }

    List<String> sortedIds() {
        List<String> ids = new ArrayList<>(users.keySet());
        Collections.sort(ids);
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newListHolder() {
        return (List<String>[]) new List[1];
    }
}
