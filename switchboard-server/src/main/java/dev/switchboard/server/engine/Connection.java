package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.Names;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client socket's protocol state and its answers to every client message. All methods but
 * {@link #terminate} and the read-only accessors run on the peer's executor, so state needs no locks; changes that
 * wait for the shared state continue there too, one at a time, in the order the client asked.
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
    /**
     * The last of this connection's state changes (subscribe, unsubscribe, sign-in, close): each waits for the one
     * before, so their answers from the shared state apply in the order the client asked. On one node each is
     * complete at once and nothing waits. Only touched on the executor.
     */
    private CompletionStage<Void> tail = Async.DONE;
    /** Whether this socket holds a slot of the app's connection quota (released once, on close). */
    private boolean reserved;
    /** Bounds on waiting state changes and their rate; made at the first change (most sockets make few). */
    private ChangeGate gate;
    /** Presence channel → this socket's place in its membership order; null until the first presence join. */
    private Map<String, PresenceView> presence;

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

    /** Queues a state change behind the previous ones; runs it at once when none is pending. */
    private CompletableFuture<Void> serially(Supplier<CompletionStage<?>> change) {
        // The new tail is in place before the change runs, so a change asked for from inside it (a close the
        // change itself caused) queues behind it rather than running first.
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletionStage<Void> previous = tail;
        tail = next;
        Async.then(peer.executor(), previous, x -> change.get()).whenComplete((v, e) -> next.complete(null));
        return next;
    }

    /** A change the client asked for: counted by the gate while it waits (back-pressure), then queued. */
    private void clientChange(Supplier<CompletionStage<?>> change) {
        ChangeGate g = gate();
        g.queued(peer);
        CompletableFuture<Void> queued = serially(change);
        if (queued.isDone()) {
            g.done(peer); // one node: complete at once, never waits
        } else {
            queued.whenCompleteAsync((v, e) -> g.done(peer), peer.executor());
        }
    }

    private ChangeGate gate() {
        if (gate == null) {
            ChangeGate.Budget b = app.changeBudget;
            gate = new ChangeGate(b, ChangeGate.burst(b.changesPerSecond(), config.maxChannelsPerConnection()),
                    app.clock.getAsLong());
        }
        return gate;
    }

    /** Subscribe and unsubscribe beyond max_subscription_changes_per_second: refused, nothing queued. */
    private boolean changeRefused(String channel) {
        int rate = app.changeBudget.changesPerSecond();
        if (gate().tryChange(app.clock.getAsLong(), ChangeGate.burst(rate, config.maxChannelsPerConnection()))) {
            return false;
        }
        app.listener.subscriptionChangeRefused(config);
        String message = "Subscribe and unsubscribe rejected due to rate limit (" + rate + " per second)";
        error(CloseCode.CLIENT_EVENT_REJECTED.code(), message);
        if (channel != null && config.sendSubscriptionErrors()) {
            send(new ServerMessage.ChannelEvent("pusher:subscription_error", channel,
                    "{\"type\":\"LimitReached\",\"error\":" + WireCodec.quote(message) + ",\"status\":429}", null));
        }
        return true;
    }

    /** Takes a quota slot over the cluster, then says hello; refused sockets are closed with 4004. */
    void open(int activityTimeoutSeconds) {
        serially(() -> Async.then(peer.executor(),
                app.state.quota().reserveConnection(config.id(), config.maxConnections()), ok -> {
                    if (!ok) {
                        closeWith(CloseCode.OVER_CONNECTION_QUOTA, CloseCode.OVER_CONNECTION_QUOTA.text());
                        return null;
                    }
                    reserved = true;
                    if (closed) {
                        return null;
                    }
                    start(activityTimeoutSeconds);
                    return null;
                }));
    }

    private void start(int activityTimeoutSeconds) {
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
        if (gate != null && gate.full()) {
            // Decided before the frame is decoded: what was read before the socket stopped being read is bounded.
            peer.send(ChangeGate.TOO_MANY_PENDING);
            return;
        }
        ClientMessage message = WireCodec.decode(text);
        if (message instanceof ClientMessage.Ping) {
            send(new ServerMessage.Pong());
        } else if (message instanceof ClientMessage.Pong) {
            return;
        } else if (message instanceof ClientMessage.Subscribe s) {
            if (!changeRefused(s.channel())) {
                clientChange(() -> onSubscribe(s));
            }
        } else if (message instanceof ClientMessage.Unsubscribe u) {
            if (!changeRefused(null)) {
                clientChange(() -> leave(u.channel()));
            }
        } else if (message instanceof ClientMessage.Signin s) {
            clientChange(() -> onSignin(s));
        } else if (message instanceof ClientMessage.ClientEvent e) {
            onClientEvent(e);
        } else if (message instanceof ClientMessage.Unknown u) {
            error(null, "Unsupported event: " + Names.quote(u.event()));
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
        // Behind any change still waiting for the shared state, so a subscription confirmed late is left too.
        serially(() -> {
            List<CompletableFuture<Void>> leaving = new ArrayList<>();
            for (String channel : new ArrayList<>(subscriptions.keySet())) {
                leaving.add(leave(channel).toCompletableFuture());
            }
            CompletionStage<Void> left = CompletableFuture.allOf(leaving.toArray(new CompletableFuture[0]));
            return Async.then(peer.executor(), left, x -> {
                CompletionStage<Void> out = userId != null ? app.signIns.signOut(this, userId) : Async.DONE;
                if (reserved) {
                    app.state.quota().releaseConnection(config.id());
                }
                app.unregister(this);
                app.listener.connectionClosed(config);
                return out;
            });
        });
    }

    /** Closes the socket with 4009 from any thread (terminate, data deletion). */
    void terminate(String message) {
        closing = true;
        peer.close(CloseCode.UNAUTHORIZED, message);
    }

    // ------------------------------------------------------------------ subscriptions

    private CompletionStage<?> onSubscribe(ClientMessage.Subscribe s) {
        String channel = s.channel();
        if (closed) {
            return null;
        }
        if (subscriptions.containsKey(channel)) {
            error(null, "Existing subscription to channel " + Names.quote(channel));
            return null;
        }
        int maxChannels = config.maxChannelsPerConnection();
        if (maxChannels >= 0 && subscriptions.size() >= maxChannels) {
            app.listener.channelLimitReached(config);
            subscriptionError(channel, "Channel limit reached: a connection may subscribe to " + maxChannels + " channels");
            return null;
        }
        Subscriptions.Decision d = subscribe.decide(this, s);
        if (d.problem() != null) {
            subscriptionError(channel, d.problem());
            return null;
        }
        ChannelName name = d.name();
        if (name.type() == ChannelType.SERVER_TO_USER) {
            subscribed(channel, NO_MEMBER);
            send(new ServerMessage.SubscriptionSucceeded(channel));
            return null;
        }
        if (d.heldInfo()) {
            return Async.then(peer.executor(), subscribe.withHeldInfo(d.member()), m -> join(name, m));
        }
        return join(name, d.member());
    }

    private CompletionStage<?> join(ChannelName name, Identity.Member member) {
        String channel = name.value();
        if (member != null) {
            // Before the socket is in the channel's lanes: membership events from then on are held, not lost.
            if (presence == null) {
                presence = new HashMap<>(2);
            }
            presence.put(channel, new PresenceView(config.maxPresenceMembers()));
        }
        return Async.then(peer.executor(), subscribe.join(this, name, member), joined -> {
            if (joined.full()) {
                dropPresenceView(channel);
                subscriptionError(channel, "Presence channel " + Names.quote(channel) + " is full ("
                        + config.maxPresenceMembers() + " members)");
                return null;
            }
            // Recorded even when the socket closed meanwhile: the close, queued behind this, then leaves it.
            subscribed(channel, member == null ? NO_MEMBER : member.userId());
            subscribe.joined(this, name, member, joined);
            if (closed) {
                return null;
            }
            if (name.type().requiresAuth()) {
                markAuthorized();
            }
            if (joined.roster() != null) {
                send(new ServerMessage.PresenceSubscriptionSucceeded(channel, joined.roster()));
                PresenceView view = presence == null ? null : presence.get(channel);
                if (view != null) {
                    view.rosterSent(joined.position(), peer);
                }
            } else {
                send(new ServerMessage.SubscriptionSucceeded(channel));
            }
            return subscribe.afterJoin(this, name, joined);
        });
    }

    private CompletionStage<Void> leave(String channel) {
        dropPresenceView(channel);
        String member = unsubscribed(channel);
        if (member == null) {
            return Async.DONE;
        }
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.SERVER_TO_USER) {
            return Async.DONE;
        }
        return subscribe.leave(this, name, member == NO_MEMBER ? null : member);
    }

    private void dropPresenceView(String channel) {
        if (presence != null && presence.remove(channel) != null && presence.isEmpty()) {
            presence = null;
        }
    }

    /**
     * A member_added or member_removed of {@code channel} for this socket, on its loop; true when written (the lane
     * flushes). Dropped when the socket is not (or no longer) a member of the channel, or when its roster already
     * holds the change; held while the roster is on its way.
     */
    boolean membership(String channel, Frame frame) {
        PresenceView view = presence == null ? null : presence.get(channel);
        if (view == null || closed || closing) {
            return false;
        }
        if (view.pending()) {
            if (!view.hold(frame)) {
                dropPresenceView(channel);
                closeWith(CloseCode.RECONNECT, "Too many presence changes before the roster of " + Names.quote(channel)
                        + "; reconnect");
            }
            return false;
        }
        if (!view.isNews(frame)) {
            return false;
        }
        peer.write(frame);
        return true;
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

    private CompletionStage<?> onSignin(ClientMessage.Signin s) {
        if (closed) {
            return null;
        }
        if (!Signatures.isWellFormedAuth(s.auth())) {
            error(null, "Invalid format: auth must have the format key:signature");
            return null;
        }
        String key = s.auth().substring(0, s.auth().indexOf(':'));
        // The app's current key and secret, not this connection's copy: a rotated secret applies to sign-ins at once.
        AppConfig current = app.config();
        if (!Signatures.matches(current.key(), key)) {
            error(null, "Invalid key in sign-in auth: " + Names.quote(key));
            return null;
        }
        String toSign = Signatures.userString(socketId, s.userData());
        if (!Signatures.verifyAuth(s.auth(), current.key(), current.secret(), toSign)) {
            error(null, Subscriptions.invalidSignature(toSign, s.auth()));
            return null;
        }
        Identity.Parsed<Identity.User> parsed = Identity.user(s.userData(), config);
        if (parsed.problem() != null) {
            error(null, parsed.problem());
            return null;
        }
        Identity.User user = parsed.value();
        if (userId != null && !userId.equals(user.id())) {
            error(null, "Connection is already signed in as a different user");
            return null;
        }
        boolean repeat = userId != null;
        String previousInfo = userInfoJson;
        userId = user.id();
        userInfoJson = user.userInfoJson();
        return app.signIns.signIn(this, user, s.userData(), repeat, previousInfo);
    }

    /** The sign-in was accepted: the connection counts as authorized. */
    void signedIn() {
        markAuthorized();
    }

    /** The sign-in was refused after all (the user's connection limit): back to what the connection was. */
    void signInRefused(boolean repeat, String previousInfo) {
        if (!repeat) {
            userId = null;
        }
        userInfoJson = previousInfo;
    }

    // ------------------------------------------------------------------ client events

    private void onClientEvent(ClientMessage.ClientEvent e) {
        String channel = e.channel();
        if (!config.enableClientMessages()) {
            error(null, "Client events are not enabled for this app");
            return;
        }
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.PRIVATE_ENCRYPTED) {
            // A client cannot encrypt for the channel (only the app server holds the master key), and every
            // pusher-js member fetches the channel's key again for each event it cannot decrypt: relaying junk here
            // turns one sender into an auth-endpoint load on every member. Pusher refuses them too.
            error(null, "Client events are not allowed on encrypted channels: " + Names.quote(channel));
            return;
        }
        if (!name.type().allowsClientEvents()) {
            error(null, "Client events are only allowed on private and presence channels: " + Names.quote(channel));
            return;
        }
        String member = subscriptions.get(channel);
        if (member == null) {
            error(null, "Client event rejected: not subscribed to channel " + Names.quote(channel));
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
        app.listener.eventPublished(config, channel, e.event(), frame.size(), EngineListener.Origin.CLIENT_EVENT);
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
