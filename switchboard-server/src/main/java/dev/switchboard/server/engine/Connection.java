package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client socket's protocol state and its answers to every client message. All methods but
 * {@link #terminate} and the read-only accessors run on the peer's executor, so state needs no locks.
 */
public final class Connection {
    private static final String NO_MEMBER = "";
    /** Up to this many subscriptions the map is an immutable copy-on-write one; beyond, a ConcurrentHashMap. */
    private static final int SMALL_SUBSCRIPTIONS = 8;

    private final String socketId;
    private final AppEngine app;
    private final AppConfig config;
    private final Peer peer;
    /**
     * channel name → presence member id ({@link #NO_MEMBER} off presence). Written on the executor only, read by
     * the user data API from other threads. Most sockets hold 0–2 subscriptions, so while small this is an
     * immutable map replaced on each change (24 bytes for one entry, against about 180 for a
     * ConcurrentHashMap); a socket that goes past {@link #SMALL_SUBSCRIPTIONS} gets a ConcurrentHashMap for good,
     * so that a subscribe never costs more than a copy of a few entries.
     */
    private volatile Map<String, String> subscriptions = Map.of();
    /** Created on the first client event: most sockets never send one. */
    private ClientEventLimiter limiter;
    private final Subscriptions subscribe;
    private volatile String userId;
    private String userInfoJson;
    private volatile boolean closing;
    private boolean closed;
    private boolean authorized;
    private ScheduledFuture<?> authTimer;

    Connection(String socketId, AppEngine app, Peer peer) {
        this.socketId = socketId;
        this.app = app;
        this.config = app.config();
        this.peer = peer;
        this.subscribe = app.subscriptions;
    }

    public String socketId() {
        return socketId;
    }

    public AppEngine app() {
        return app;
    }

    /** Null when not signed in. */
    public String userId() {
        return userId;
    }

    Peer peer() {
        return peer;
    }

    String userInfoJson() {
        return userInfoJson;
    }

    List<String> subscribedChannels() {
        return new ArrayList<>(subscriptions.keySet());
    }

    void start(int activityTimeoutSeconds) {
        peer.send(Frame.of(new ServerMessage.ConnectionEstablished(socketId, activityTimeoutSeconds)));
        if (config.requireAuthorizedConnections()) {
            authTimer = peer.executor().schedule(() -> {
                if (!authorized && !closed) {
                    closeWith(CloseCode.UNAUTHORIZED, "Connection not authorized within timeout");
                }
            }, config.userAuthenticationTimeoutSeconds(), TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ input

    /** A text frame from the client. */
    public void onText(String text) {
        if (closed || closing) {
            return;
        }
        app.listener.messageIn(config, text.length());
        ClientMessage message = WireCodec.decode(text);
        if (message instanceof ClientMessage.Ping) {
            send(new ServerMessage.Pong());
        } else if (message instanceof ClientMessage.Pong) {
            return;
        } else if (message instanceof ClientMessage.Subscribe s) {
            onSubscribe(s);
        } else if (message instanceof ClientMessage.Unsubscribe u) {
            leave(u.channel());
        } else if (message instanceof ClientMessage.Signin s) {
            onSignin(s);
        } else if (message instanceof ClientMessage.ClientEvent e) {
            onClientEvent(e);
        } else if (message instanceof ClientMessage.Unknown u) {
            error(null, "Unsupported event: " + u.event());
        } else if (message instanceof ClientMessage.Malformed m) {
            error(null, m.reason());
        }
    }

    /** The socket closed; called exactly once, on the executor. */
    public void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        for (String channel : new ArrayList<>(subscriptions.keySet())) {
            leave(channel);
        }
        if (userId != null) {
            signOut();
        }
        app.unregister(this);
        app.listener.connectionClosed(config);
    }

    /** Closes the socket with 4009 from any thread (terminate, data deletion). */
    void terminate(String message) {
        closing = true;
        peer.close(CloseCode.UNAUTHORIZED, message);
    }

    // ------------------------------------------------------------------ subscriptions

    private void onSubscribe(ClientMessage.Subscribe s) {
        String channel = s.channel();
        if (subscriptions.containsKey(channel)) {
            error(null, "Existing subscription to channel " + channel);
            return;
        }
        Subscriptions.Decision d = subscribe.decide(this, s);
        if (d.problem() != null) {
            subscriptionError(channel, d.problem());
            return;
        }
        ChannelName name = d.name();
        if (name.type() == ChannelType.SERVER_TO_USER) {
            subscribed(channel, NO_MEMBER);
            send(new ServerMessage.SubscriptionSucceeded(channel));
            return;
        }
        Subscriptions.Joined joined = subscribe.join(this, name, d.member());
        if (joined == null) {
            subscriptionError(channel, "Presence channel " + channel + " is full (" + config.maxPresenceMembers()
                    + " members)");
            return;
        }
        subscribed(channel, d.member() == null ? NO_MEMBER : d.member().userId());
        if (name.type().requiresAuth()) {
            markAuthorized();
        }
        if (joined.roster() != null) {
            send(new ServerMessage.PresenceSubscriptionSucceeded(channel, joined.roster()));
        } else {
            send(new ServerMessage.SubscriptionSucceeded(channel));
        }
        subscribe.afterJoin(this, name, joined);
    }

    private void leave(String channel) {
        String member = unsubscribed(channel);
        if (member == null) {
            return;
        }
        ChannelName name = ChannelName.of(channel);
        if (name.type() != ChannelType.SERVER_TO_USER) {
            subscribe.leave(this, name, member == NO_MEMBER ? null : member);
        }
    }

    private void subscribed(String channel, String member) {
        Map<String, String> m = subscriptions;
        if (m instanceof ConcurrentHashMap) {
            m.put(channel, member);
        } else if (m.isEmpty()) {
            subscriptions = Map.of(channel, member);
        } else if (m.size() < SMALL_SUBSCRIPTIONS) {
            Map<String, String> copy = new HashMap<>(m);
            copy.put(channel, member);
            subscriptions = Map.copyOf(copy);
        } else {
            Map<String, String> big = new ConcurrentHashMap<>(m);
            big.put(channel, member);
            subscriptions = big;
        }
    }

    /** The member id the channel was joined with; null when not subscribed. */
    private String unsubscribed(String channel) {
        Map<String, String> m = subscriptions;
        if (m instanceof ConcurrentHashMap) {
            return m.remove(channel);
        }
        String member = m.get(channel);
        if (member != null) {
            if (m.size() == 1) {
                subscriptions = Map.of();
            } else {
                Map<String, String> copy = new HashMap<>(m);
                copy.remove(channel);
                subscriptions = Map.copyOf(copy);
            }
        }
        return member;
    }

    private void subscriptionError(String channel, String message) {
        error(null, message);
        if (config.sendSubscriptionErrors()) {
            send(new ServerMessage.ChannelEvent("pusher:subscription_error", channel,
                    "{\"type\":\"AuthError\",\"error\":" + WireCodec.quote(message) + ",\"status\":401}", null));
        }
    }

    // ------------------------------------------------------------------ sign-in

    private void onSignin(ClientMessage.Signin s) {
        if (!Signatures.isWellFormedAuth(s.auth())) {
            error(null, "Invalid format: auth must have the format key:signature");
            return;
        }
        String key = s.auth().substring(0, s.auth().indexOf(':'));
        if (!Signatures.matches(config.key(), key)) {
            error(null, "Invalid key in sign-in auth: " + key);
            return;
        }
        String toSign = Signatures.userString(socketId, s.userData());
        if (!Signatures.verifyAuth(s.auth(), config.key(), config.secret(), toSign)) {
            error(null, "Invalid signature: Expected HMAC SHA256 hex digest of " + toSign + ", but got "
                    + s.auth().substring(s.auth().indexOf(':') + 1));
            return;
        }
        Identity.Parsed<Identity.User> parsed = Identity.user(s.userData(), config);
        if (parsed.problem() != null) {
            error(null, parsed.problem());
            return;
        }
        Identity.User user = parsed.value();
        if (userId != null && !userId.equals(user.id())) {
            error(null, "Connection is already signed in as a different user");
            return;
        }
        userId = user.id();
        userInfoJson = user.userInfoJson();
        markAuthorized();
        UserRegistry.SignIn signIn = app.users.signIn(this, user.id(), user.userInfoJson(), user.watchlist());
        // The watcher is indexed before it hears of its success or reads the state: a watched user who
        // comes online meanwhile is then either in the state or notified, never missed.
        if (config.enableWatchlistEvents()) {
            app.watchlists.replace(user.id(), signIn.previousWatchlist(), user.watchlist());
        }
        send(new ServerMessage.SigninSuccess(s.userData()));
        if (user.watchlistTruncated()) {
            error(CloseCode.WATCHLIST_LIMIT.code(), "Watchlist limit exceeded: only the first "
                    + config.maxWatchlistSize() + " user ids are watched: " + String.join(",", user.watchlist()));
        }
        if (config.enableWatchlistEvents()) {
            sendWatchlistState(user.watchlist());
            if (signIn.cameOnline()) {
                app.notifyWatchers(user.id(), true);
            }
        }
        app.listener.signedIn(config, user.id());
        if (signIn.cameOnline()) {
            app.listener.userOnline(config, user.id());
        }
    }

    private void signOut() {
        UserRegistry.SignOut out = app.users.signOut(this, userId);
        if (out.wentOffline()) {
            app.wentOffline(userId, out.lastWatchlist());
        }
    }

    private void sendWatchlistState(List<String> watchlist) {
        if (watchlist.isEmpty()) {
            return;
        }
        List<String> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        for (String id : watchlist) {
            (app.users.isOnline(id) ? online : offline).add(id);
        }
        send(new ServerMessage.WatchlistEvents(online, offline));
    }

    // ------------------------------------------------------------------ client events

    private void onClientEvent(ClientMessage.ClientEvent e) {
        String channel = e.channel();
        if (!config.enableClientMessages()) {
            error(null, "Client events are not enabled for this app");
            return;
        }
        ChannelName name = ChannelName.of(channel);
        if (!name.type().allowsClientEvents()) {
            error(null, "Client events are only allowed on private and presence channels: " + channel);
            return;
        }
        String member = subscriptions.get(channel);
        if (member == null) {
            error(null, "Client event rejected: not subscribed to channel " + channel);
            return;
        }
        if (limiter == null) {
            limiter = new ClientEventLimiter(config.maxClientEventsPerSecond(), app.clock);
        }
        if (!limiter.tryAcquire()) {
            error(CloseCode.CLIENT_EVENT_REJECTED.code(), CloseCode.CLIENT_EVENT_REJECTED.text());
            return;
        }
        if (e.event().length() > config.maxEventNameLength()) {
            error(null, "Client event name longer than " + config.maxEventNameLength() + " characters");
            return;
        }
        if (e.dataJson() != null && e.dataJson().getBytes(StandardCharsets.UTF_8).length > config.maxEventDataBytes()) {
            error(null, "Client event data larger than " + config.maxEventDataBytes() + " bytes");
            return;
        }
        String senderId = member == NO_MEMBER ? null : member;
        Frame frame = Frame.of(new ServerMessage.ChannelEvent(e.event(), channel, e.dataJson(), senderId));
        app.publishFrom(this, channel, frame);
        app.listener.clientEvent(config, channel, e.event(), e.dataJson(), socketId, senderId);
    }

    // ------------------------------------------------------------------ helpers

    private void markAuthorized() {
        authorized = true;
        if (authTimer != null) {
            authTimer.cancel(false);
            authTimer = null;
        }
    }

    private void closeWith(CloseCode code, String message) {
        closing = true;
        peer.close(code, message);
    }

    void send(ServerMessage message) {
        peer.send(Frame.of(message));
    }

    private void error(Integer code, String message) {
        send(new ServerMessage.Error(code, message));
    }
}
