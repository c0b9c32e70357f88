package dev.switchboard.server.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User id → this node's connections signed in as that user, for delivery to a user. Whether the user is online
 * anywhere, and what is held about it, is the {@link OnlineUsers}' business. The first local connection of a
 * user tells the broker this node listens to the user's topic, the last that it no longer does.
 */
final class UserRegistry {
    private final String appId;
    private final Broker broker;
    private final ConcurrentHashMap<String, Local> users = new ConcurrentHashMap<>();

    /** One user's connections here, the watchlist of its latest sign-in here, the broker's readiness. */
    static final class Local {
        final Set<Recipient> connections = ConcurrentHashMap.newKeySet();
        List<String> watchlist = List.of();
        CompletionStage<Void> ready;
    }

    /**
     * A sign-in here: when the user's topic is ready, the watchlist it replaced (null when first here), and when the
     * watched users' topics are listened to.
     */
    record Added(CompletionStage<Void> ready, List<String> previousWatchlist, CompletionStage<Void> watching) {}

    UserRegistry(String appId, Broker broker) {
        this.appId = appId;
        this.broker = broker;
    }

    /**
     * The ready stage completes when frames for the user from every node reach this one. {@code index}: the watchers'
     * index to keep in step (null: watchlist events off), changed in the same step as the user's entry here: a
     * sign-out of the user's last connection here and a sign-in of a new one, on two event loops at once, must not
     * interleave between the two (the sign-out took the user out of the index after the sign-in had put it back in,
     * and the new connection never heard of its watchlist again: the "watchlist left offline" of docs/cluster.md).
     */
    Added add(Recipient c, String userId, List<String> watchlist, Watchlists index) {
        @SuppressWarnings("unchecked")
        List<String>[] previous = new List[1];
        @SuppressWarnings("unchecked")
        CompletionStage<Void>[] watching = new CompletionStage[] {Async.DONE};
        Local local = users.compute(userId, (k, u) -> {
            if (u == null) {
                u = new Local();
                u.ready = broker.interest(Topic.user(appId, k), true);
            } else {
                previous[0] = u.watchlist;
            }
            u.connections.add(c);
            u.watchlist = List.copyOf(watchlist);
            if (index != null) {
                watching[0] = index.replace(k, previous[0], u.watchlist);
            }
            return u;
        });
        return new Added(local.ready, previous[0], watching[0]);
    }

    /**
     * Puts back the watchlist a refused sign-in replaced (the user's other connections here keep theirs), in the
     * watchers' index too ({@code index}, as for {@link #add}).
     */
    void restoreWatchlist(String userId, List<String> refused, List<String> watchlist, Watchlists index) {
        users.computeIfPresent(userId, (k, u) -> {
            u.watchlist = watchlist;
            if (index != null) {
                index.replace(k, refused, watchlist);
            }
            return u;
        });
    }

    /**
     * The user's watchlist here when this was its last connection here, else null; then the user leaves the watchers'
     * {@code index} in the same step ({@link #add} says why).
     */
    List<String> remove(Recipient c, String userId, Watchlists index) {
        @SuppressWarnings("unchecked")
        List<String>[] last = new List[1];
        users.computeIfPresent(userId, (k, u) -> {
            if (!u.connections.remove(c) || !u.connections.isEmpty()) {
                return u;
            }
            last[0] = u.watchlist;
            if (index != null) {
                index.removeWatcher(k, u.watchlist);
            }
            broker.interest(Topic.user(appId, k), false);
            return null;
        });
        return last[0];
    }

    /** This node's connections of the user; empty when none. */
    Set<Recipient> connections(String userId) {
        Local u = users.get(userId);
        return u == null ? Set.of() : u.connections;
    }

    /** Users with a connection on this node. */
    int size() {
        return users.size();
    }
}
