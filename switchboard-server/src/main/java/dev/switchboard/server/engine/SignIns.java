package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Signing in and out (PROTOCOL.md §5.3–§5.10): who may sign in ({@link #check}), the connection joining its user
 * here (for delivery) and in the {@link OnlineUsers} state (which decides online/offline once per cluster), and
 * the watchers told of each decision ({@link Watchers}). One per app; the connection's own user is its business
 * ({@link Connection} applies the outcomes).
 */
final class SignIns {
    private final Supplier<AppConfig> app;
    private final OnlineUsers state;
    private final UserRegistry users;
    private final Watchlists watchlists;
    private final Watchers watchers;
    private final EngineListener listener;
    /** How long a sign-out's going offline is held in the state for the webhooks (AppEngine#holdMillis of null). */
    private final ToLongFunction<String> holdMillis;

    SignIns(Supplier<AppConfig> app, OnlineUsers state, UserRegistry users, Watchlists watchlists, Watchers watchers,
            EngineListener listener, ToLongFunction<String> holdMillis) {
        this.app = app;
        this.state = state;
        this.users = users;
        this.watchlists = watchlists;
        this.watchers = watchers;
        this.listener = listener;
        this.holdMillis = holdMillis;
    }

    /** The user a sign-in makes the connection, or why not. */
    record Verdict(Identity.User user, String problem) {}

    /**
     * A sign-in the state decided ({@code decided}), with the watchlist it replaced here (null: first here) and
     * whether watchlist events were on when it began.
     */
    record Outcome(Identity.User user, OnlineUsers.SignedIn decided, List<String> previousWatchlist, boolean watching) {
        boolean refused() {
            return decided.refused();
        }
    }

    /**
     * Whether socket {@code socketId} of {@code connection} (the app's settings as it opened), signed in as
     * {@code userId} (null: not), may sign in as {@code s} says. The signature is checked against the app's current
     * key and secret, not the connection's copy: a rotated secret applies to sign-ins at once.
     */
    Verdict check(AppConfig connection, String socketId, String userId, ClientMessage.Signin s) {
        String problem = Authorizer.signIn(app.get(), socketId, s.auth(), s.userData());
        if (problem != null) {
            return new Verdict(null, problem);
        }
        Identity.Parsed<Identity.User> parsed = Identity.user(s.userData(), connection);
        if (parsed.problem() != null) {
            return new Verdict(null, parsed.problem());
        }
        if (userId != null && !userId.equals(parsed.value().id())) {
            return new Verdict(null, "Connection is already signed in as a different user");
        }
        return new Verdict(parsed.value(), null);
    }

    /**
     * The connection, already verified and holding {@code channels}, becomes {@code user} ({@code repeat}: it already
     * was). The watcher is indexed here, and listened for, before it hears of its success or reads the state: a
     * watched user who comes online meanwhile is then either in the state or notified, never missed.
     */
    CompletionStage<Outcome> signIn(Recipient c, Identity.User user, boolean repeat, List<String> channels) {
        AppConfig config = app.get();
        boolean watching = config.enableWatchlistEvents();
        UserRegistry.Added added = users.add(c, user.id(), user.watchlist(), watching ? watchlists : null);
        // The user's topic is listened to before the sign-in is decided: an event sent to the user right after the
        // decision (which hands over what its inbox kept) is then delivered live here, never lost between the two.
        return added.ready().thenCombine(added.watching(), (a, b) -> b)
                .thenCompose(x -> state.signIn(config.id(), user.id(), user.userInfoJson(), user.watchlist(), channels,
                        repeat, config.maxConnectionsPerUser()))
                .thenApply(decided -> new Outcome(user, decided, added.previousWatchlist(), watching));
    }

    /**
     * The user already has {@code max_connections_per_user} signed-in connections, or is banned: this newest one is
     * refused and stays open, not signed in (docs/limits.md says why the newest), and what was set up here for it is
     * undone.
     */
    void refused(Recipient c, Outcome out, boolean repeat) {
        Identity.User user = out.user();
        if (!repeat) {
            Watchlists index = app.get().enableWatchlistEvents() ? watchlists : null;
            if (users.remove(c, user.id(), index) == null && out.previousWatchlist() != null) {
                users.restoreWatchlist(user.id(), user.watchlist(), out.previousWatchlist(), index);
            }
        }
        long bannedUntil = out.decided().bannedUntilMs();
        if (bannedUntil > 0) {
            // Refused as a bad sign-in is (PROTOCOL.md §5.5): pusher:error, code null, the connection stays open and
            // not signed in. pusher-js only logs it; closing with 4009 would also stop it reconnecting, which the
            // termination that came with the ban already did (docs/users.md, "Bans").
            // Counted before the answer goes out, so a client that saw the refusal finds it counted.
            listener.on(new EngineEvent.SignInBanned(app.get()));
            c.peer().send(Frame.of(new ServerMessage.Error(null, "User " + user.id()
                    + " is banned from signing in until " + java.time.Instant.ofEpochMilli(bannedUntil))));
            return;
        }
        c.peer().send(Frame.of(new ServerMessage.Error(null, "Connection limit reached: user " + user.id()
                + " may have " + app.get().maxConnectionsPerUser() + " signed-in connections")));
        listener.on(new EngineEvent.UserConnectionLimitReached(app.get()));
    }

    /**
     * The sign-in was accepted: signin_success with the client's {@code userData}, what the inbox kept, then the
     * state of the watchlist and the listeners.
     */
    CompletionStage<?> accepted(Recipient c, Outcome out, String userData) {
        Identity.User user = out.user();
        OnlineUsers.SignedIn signedIn = out.decided();
        c.peer().send(Frame.of(new ServerMessage.SigninSuccess(userData)));
        handOver(c, user.id(), signedIn);
        if (user.watchlistTruncated()) {
            c.peer().send(Frame.of(new ServerMessage.Error(CloseCode.WATCHLIST_LIMIT.code(),
                    "Watchlist limit exceeded: only the first " + app.get().maxWatchlistSize()
                            + " user ids are watched: " + String.join(",", user.watchlist()))));
        }
        if (!out.watching() || user.watchlist().isEmpty()) {
            signedIn(user.id(), signedIn);
            return null;
        }
        // A state that cannot be read now leaves the watchlist untold here (the state makes the client come back
        // for a fresh read: RedisUsers#onlineNow); the sign-in itself was decided, and is reported as such.
        CompletionStage<OnlineUsers.OnlineNow> read = state.onlineNow(app.get().id(), user.watchlist())
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
                if (watchers.tell(c, id, isOnline, now.position(id))) {
                    (isOnline ? on : off).add(id);
                }
            }
            if (!on.isEmpty() || !off.isEmpty()) {
                c.peer().send(Frame.of(new ServerMessage.WatchlistEvents(on, off)));
            }
            signedIn(user.id(), signedIn);
            return null;
        });
    }

    /** What the inbox kept for the user, right after signin_success, as the user events they were sent as. */
    private void handOver(Recipient c, String userId, OnlineUsers.SignedIn signedIn) {
        if (signedIn.missed().isEmpty() && signedIn.expired() == 0) {
            return;
        }
        String channel = ChannelName.SERVER_TO_USER_PREFIX + userId;
        for (Inboxes.KeptEvent e : signedIn.missed()) {
            c.peer().send(Frame.of(new ServerMessage.ChannelEvent(e.event(), channel, WireCodec.quote(e.data()), null)));
        }
        listener.on(new EngineEvent.InboxDrained(app.get(), signedIn.missed().size(), signedIn.expired()));
    }

    private void signedIn(String userId, OnlineUsers.SignedIn in) {
        if (in.cameOnline() && !in.announced()) {
            watchers.publish(userId, true, in.position());
        }
        listener.on(new EngineEvent.SignedIn(app.get(), userId));
        if (in.cameOnline() && in.position() != Frame.UNORDERED) {
            listener.on(new EngineEvent.UserOnline(app.get(), userId, in.offlineCancelled()));
        }
    }

    /** A signed-in connection holding {@code channels} goes: out of its user here, then out of the shared state. */
    CompletionStage<Void> signOut(Recipient c, String userId, List<String> channels) {
        watchers.forget(c);
        users.remove(c, userId, app.get().enableWatchlistEvents() ? watchlists : null);
        return Async.then(c.peer().executor(), state.signOut(app.get().id(), userId, channels,
                holdMillis.applyAsLong(null)), out -> {
            if (out.wentOffline() && out.position() == Frame.UNORDERED) {
                // decided alone, the shared state out of reach: watchers here are told, no webhook goes out (the
                // node rejoins when it reaches the state again; ChannelTransitions#decidedAlone says why)
                watchers.publish(userId, false, Frame.UNORDERED);
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
            watchers.publish(userId, false, position);
        }
        listener.on(new EngineEvent.UserOffline(app.get(), userId, held));
    }
}
