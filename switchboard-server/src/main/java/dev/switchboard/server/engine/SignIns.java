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
     * What each signed-in connection here was last told about each user it watches, and the newest position of the
     * user's order it has seen. The state a watcher reads at sign-in and the events published meanwhile may say the
     * same thing twice (the design above prefers twice to never); a watcher is never told a state it already holds,
     * so online and offline alternate for it, and a change older than one it has seen (decided first, arrived
     * later: two threads or two nodes deciding one user's changes) is dropped, so it ends on the last one.
     */
    private final ConcurrentHashMap<Connection, ConcurrentHashMap<String, Told>> told = new ConcurrentHashMap<>();

    /** {@code position}: the newest of the watched user's order seen ({@link Frame#UNORDERED} when none). */
    private record Told(boolean online, long position) {}

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
        UserRegistry.Added added = app.users.add(c, user.id(), user.watchlist(), watching ? app.watchlists : null);
        CompletionStage<Void> indexed = added.watching();
        // The user's topic is listened to before the sign-in is decided: an event sent to the user right after the
        // decision (which hands over what its inbox kept) is then delivered live here, never lost between the two.
        CompletionStage<OnlineUsers.SignedIn> ready = added.ready().thenCombine(indexed, (a, b) -> b)
                .thenCompose(x -> app.state.users().signIn(app.config().id(), user.id(), user.userInfoJson(), user.watchlist(),
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
                signedIn(user.id(), signedIn);
                return null;
            }
            // A state that cannot be read now leaves the watchlist untold here (the state makes the client come back
            // for a fresh read: RedisUsers#onlineNow); the sign-in itself was decided, and is reported as such.
            CompletionStage<OnlineUsers.OnlineNow> read = app.state.users().onlineNow(app.config().id(), user.watchlist())
                    .exceptionally(unreadable -> null);
            return Async.then(c.peer().executor(), read, now -> {
                if (now == null) {
                    signedIn(user.id(), signedIn);
                    return null;
                }
                List<String> on = new ArrayList<>();
                List<String> off = new ArrayList<>();
                for (String id : user.watchlist()) {
                    boolean isOnline = now.online().contains(id);
                    if (tell(c, id, isOnline, now.position(id))) {
                        (isOnline ? on : off).add(id);
                    }
                }
                if (!on.isEmpty() || !off.isEmpty()) {
                    c.send(new ServerMessage.WatchlistEvents(on, off));
                }
                signedIn(user.id(), signedIn);
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
            Watchlists index = app.config().enableWatchlistEvents() ? app.watchlists : null;
            if (app.users.remove(c, user.id(), index) == null && added.previousWatchlist() != null) {
                app.users.restoreWatchlist(user.id(), user.watchlist(), added.previousWatchlist(), index);
            }
        }
        c.signInRefused(repeat, previousInfo);
        c.send(new ServerMessage.Error(null, "Connection limit reached: user " + user.id() + " may have "
                + app.config().maxConnectionsPerUser() + " signed-in connections"));
        app.listener.userConnectionLimitReached(app.config());
    }

    /** What the inbox kept for the user, right after signin_success, as the user events they were sent as. */
    private void handOver(Connection c, String userId, OnlineUsers.SignedIn signedIn) {
        if (signedIn.missed().isEmpty() && signedIn.expired() == 0) {
            return;
        }
        String channel = ChannelName.SERVER_TO_USER_PREFIX + userId;
        for (Inboxes.KeptEvent e : signedIn.missed()) {
            c.send(new ServerMessage.ChannelEvent(e.event(), channel, WireCodec.quote(e.data()), null));
        }
        app.listener.inboxDrained(app.config(), signedIn.missed().size(), signedIn.expired());
    }

    private void signedIn(String userId, OnlineUsers.SignedIn in) {
        if (in.cameOnline() && !in.announced()) {
            notifyWatchers(userId, true, in.position());
        }
        app.listener.signedIn(app.config(), userId);
        if (in.cameOnline() && in.position() != Frame.UNORDERED) {
            app.listener.userOnline(app.config(), userId, in.offlineCancelled());
        }
    }

    /** A signed-in connection goes: out of its user here, then out of the shared state. */
    CompletionStage<Void> signOut(Connection c, String userId) {
        told.remove(c);
        app.users.remove(c, userId, app.config().enableWatchlistEvents() ? app.watchlists : null);
        return Async.then(c.peer().executor(), app.state.users().signOut(app.config().id(), userId, c.subscribedChannels(),
                app.holdMillis(null)), out -> {
            if (out.wentOffline() && out.position() == Frame.UNORDERED) {
                // decided alone, the shared state out of reach: watchers here are told, no webhook goes out (the
                // node rejoins when it reaches the state again; Subscriptions#decidedAlone says why)
                notifyWatchers(userId, false, Frame.UNORDERED);
            } else if (out.wentOffline()) {
                wentOffline(userId, out.held(), out.position(), out.announced());
            }
            return null;
        });
    }

    /** The user's data was erased: tell its watchers it is offline (outside its order: whatever they hold). */
    void wentOffline(String userId) {
        wentOffline(userId, false, Frame.UNORDERED, false);
    }

    /**
     * The user's last signed-in connection anywhere is gone: its watchers are told, by this node unless the state
     * already {@code announced} it, at {@code position} in the user's order. {@code held}: the state holds the going
     * offline for the webhooks (docs/webhooks.md).
     */
    void wentOffline(String userId, boolean held, long position, boolean announced) {
        if (!announced) {
            notifyWatchers(userId, false, position);
        }
        app.listener.userOffline(app.config(), userId, held);
    }

    private void notifyWatchers(String userId, boolean online, long position) {
        if (!app.config().enableWatchlistEvents()) {
            return;
        }
        ServerMessage message = online ? new ServerMessage.WatchlistEvents(List.of(userId), List.of())
                : new ServerMessage.WatchlistEvents(List.of(), List.of(userId));
        Frame frame = position > 0 ? Frame.membership(message, position) : Frame.of(message);
        app.broker.publish(Topic.watchers(app.config().id(), userId), frame, null);
    }

    /** A watchlist frame about {@code watched}, for every connection here of a user watching it. */
    void deliverToWatchers(String watched, Frame frame) {
        boolean online = !saysOffline(frame);
        for (String watcher : app.watchlists.watchersOf(watched)) {
            for (Connection c : app.users.connections(watcher)) {
                if (tell(c, watched, online, frame.position())) {
                    c.peer().send(frame);
                }
            }
        }
    }

    /**
     * Records that {@code c} learns {@code watched} is {@code online}, as of {@code position} in the user's order (0
     * or less: outside it); true when that is news to tell it. Not news: the state it holds, or a change older than
     * the newest it has seen.
     */
    private boolean tell(Connection c, String watched, boolean online, long position) {
        boolean[] news = new boolean[1];
        told.computeIfAbsent(c, k -> new ConcurrentHashMap<>()).compute(watched, (k, before) -> {
            if (before == null) {
                news[0] = true;
                return new Told(online, Math.max(Frame.UNORDERED, position));
            }
            if (position > Frame.UNORDERED && position <= before.position()) {
                return before; // decided before a change it has already seen
            }
            news[0] = before.online() != online;
            return new Told(online, Math.max(before.position(), position));
        });
        return news[0];
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
