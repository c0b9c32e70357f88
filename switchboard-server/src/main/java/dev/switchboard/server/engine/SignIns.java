package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing in and out (PROTOCOL.md §5.3–§5.10): the connection joins its user here (for delivery) and in the
 * {@link SharedState} (which decides online/offline once per cluster), and watchers hear of each decision on
 * the watched user's {@link Topic.Kind#WATCHERS} topic, on every node.
 */
final class SignIns {
    private final AppEngine app;
    /**
     * What each signed-in connection here was last told about each user it watches. The state a watcher reads at
     * sign-in and the events published meanwhile may say the same thing twice (the design above prefers twice to
     * never); a watcher is never told a state it already holds, so online and offline alternate for it.
     */
    private final ConcurrentHashMap<Connection, ConcurrentHashMap<String, Boolean>> told = new ConcurrentHashMap<>();

    SignIns(AppEngine app) {
        this.app = app;
    }

    /**
     * The connection, already verified, becomes {@code user}. The watcher is indexed here, and listened for, before it
     * hears of its success or reads the state: a watched user who comes online meanwhile is then either in the state
     * or notified, never missed.
     */
    CompletionStage<Void> signIn(Connection c, Identity.User user, String userData, boolean repeat,
                                 String previousInfo) {
        boolean watching = app.config().enableWatchlistEvents();
        UserRegistry.Added added = app.users.add(c, user.id(), user.watchlist());
        CompletionStage<Void> indexed = watching
                ? app.watchlists.replace(user.id(), added.previousWatchlist(), user.watchlist()) : Async.DONE;
        // The user's topic is listened to before the sign-in is decided: an event sent to the user right after the
        // decision (which hands over what its inbox kept) is then delivered live here, never lost between the two.
        CompletionStage<SharedState.SignedIn> ready = added.ready().thenCombine(indexed, (a, b) -> b)
                .thenCompose(x -> app.state.signIn(app.config().id(), user.id(), user.userInfoJson(), user.watchlist(),
                        c.subscribedChannels(), repeat, app.config().maxConnectionsPerUser()));
        return Async.then(c.peer().executor(), ready, signedIn -> {
            if (signedIn.refused()) {
                refused(c, user, added, repeat, previousInfo);
                return null;
            }
            c.signedIn();
            c.send(new ServerMessage.SigninSuccess(userData));
            handOver(c, user.id(), signedIn);
            if (user.watchlistTruncated()) {
                c.send(new ServerMessage.Error(CloseCode.WATCHLIST_LIMIT.code(), "Watchlist limit exceeded: only the first "
                        + app.config().maxWatchlistSize() + " user ids are watched: " + String.join(",", user.watchlist())));
            }
            if (!watching || user.watchlist().isEmpty()) {
                signedIn(user.id(), signedIn.cameOnline(), signedIn.offlineCancelled());
                return null;
            }
            return Async.then(c.peer().executor(), app.state.online(app.config().id(), user.watchlist()), online -> {
                List<String> on = new ArrayList<>();
                List<String> off = new ArrayList<>();
                for (String id : user.watchlist()) {
                    boolean isOnline = online.contains(id);
                    if (tell(c, id, isOnline)) {
                        (isOnline ? on : off).add(id);
                    }
                }
                if (!on.isEmpty() || !off.isEmpty()) {
                    c.send(new ServerMessage.WatchlistEvents(on, off));
                }
                signedIn(user.id(), signedIn.cameOnline(), signedIn.offlineCancelled());
                return null;
            });
        });
    }

    /**
     * The user already has {@code max_connections_per_user} signed-in connections: this newest one is refused and
     * stays open, not signed in (docs/limits.md says why the newest), and what was set up here for it is undone.
     */
    private void refused(Connection c, Identity.User user, UserRegistry.Added added, boolean repeat,
                         String previousInfo) {
        if (!repeat) {
            List<String> lastHere = app.users.remove(c, user.id());
            if (app.config().enableWatchlistEvents()) {
                if (lastHere != null) {
                    app.watchlists.removeWatcher(user.id(), lastHere);
                } else {
                    app.watchlists.replace(user.id(), user.watchlist(), added.previousWatchlist());
                    app.users.restoreWatchlist(user.id(), added.previousWatchlist());
                }
            }
        }
        c.signInRefused(repeat, previousInfo);
        c.send(new ServerMessage.Error(null, "Connection limit reached: user " + user.id() + " may have "
                + app.config().maxConnectionsPerUser() + " signed-in connections"));
        app.listener.userConnectionLimitReached(app.config());
    }

    /** What the inbox kept for the user, right after signin_success, as the user events they were sent as. */
    private void handOver(Connection c, String userId, SharedState.SignedIn signedIn) {
        if (signedIn.missed().isEmpty() && signedIn.expired() == 0) {
            return;
        }
        String channel = ChannelName.SERVER_TO_USER_PREFIX + userId;
        for (SharedState.KeptEvent e : signedIn.missed()) {
            c.send(new ServerMessage.ChannelEvent(e.event(), channel, WireCodec.quote(e.data()), null));
        }
        app.listener.inboxDrained(app.config(), signedIn.missed().size(), signedIn.expired());
    }

    private void signedIn(String userId, boolean cameOnline, boolean cancelsHeld) {
        if (cameOnline) {
            notifyWatchers(userId, true);
        }
        app.listener.signedIn(app.config(), userId);
        if (cameOnline) {
            app.listener.userOnline(app.config(), userId, cancelsHeld);
        }
    }

    /** A signed-in connection goes: out of its user here, then out of the shared state. */
    CompletionStage<Void> signOut(Connection c, String userId) {
        told.remove(c);
        List<String> lastHere = app.users.remove(c, userId);
        if (lastHere != null && app.config().enableWatchlistEvents()) {
            app.watchlists.removeWatcher(userId, lastHere);
        }
        return Async.then(c.peer().executor(), app.state.signOut(app.config().id(), userId, c.subscribedChannels(),
                app.holdMillis(null)), out -> {
            if (out.wentOffline()) {
                wentOffline(userId, out.held());
            }
            return null;
        });
    }

    /** The user's last signed-in connection anywhere is gone (or its data was erased): tell its watchers. */
    void wentOffline(String userId) {
        wentOffline(userId, false);
    }

    /** As above; {@code held}: the state holds the going offline for the webhooks (docs/webhooks.md). */
    void wentOffline(String userId, boolean held) {
        notifyWatchers(userId, false);
        app.listener.userOffline(app.config(), userId, held);
    }

    private void notifyWatchers(String userId, boolean online) {
        if (!app.config().enableWatchlistEvents()) {
            return;
        }
        Frame frame = Frame.of(online ? new ServerMessage.WatchlistEvents(List.of(userId), List.of())
                : new ServerMessage.WatchlistEvents(List.of(), List.of(userId)));
        app.broker.publish(Topic.watchers(app.config().id(), userId), frame, null);
    }

    /** A watchlist frame about {@code watched}, for every connection here of a user watching it. */
    void deliverToWatchers(String watched, Frame frame) {
        boolean online = !saysOffline(frame);
        for (String watcher : app.watchlists.watchersOf(watched)) {
            for (Connection c : app.users.connections(watcher)) {
                if (tell(c, watched, online)) {
                    c.peer().send(frame);
                }
            }
        }
    }

    /** False when {@code c} was last told this very state of {@code watched}; records it otherwise. */
    private boolean tell(Connection c, String watched, boolean online) {
        Boolean before = told.computeIfAbsent(c, k -> new ConcurrentHashMap<>()).put(watched, online);
        return before == null || before != online;
    }

    private static final byte[] OFFLINE = "\"name\":\"offline\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * A frame of the watchers topic is about one user, online or offline ({@link #notifyWatchers}); it arrives
     * encoded (perhaps from another node), and the group name tells which (a user id cannot hold an unescaped quote).
     */
    private static boolean saysOffline(Frame frame) {
        byte[] b = frame.bytes();
        outer:
        for (int i = 0; i + OFFLINE.length <= b.length; i++) {
            for (int j = 0; j < OFFLINE.length; j++) {
                if (b[i + j] != OFFLINE[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
