package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client socket's protocol state, and the dispatcher of its messages. The app's flows ({@link Subscriptions},
 * {@link SignIns}, {@link ClientEvents}) decide what each means; this class applies their outcomes to its own state.
 * All methods but {@link #terminate}, {@link #reconnect} and the read-only accessors run on the peer's executor, so
 * state needs no locks; changes that wait for the shared state continue there too, one at a time, in order.
 */
public final class Connection implements Recipient {
    private final String socketId;
    private final AppEngine app;
    /** The app's settings as the socket opened. */
    private final AppConfig config;
    private final ConnectionPorts ports;
    private final Peer peer;
    /** Channel → presence member id (SubscriptionMaps). Written on the executor only; read from other threads. */
    private volatile Map<String, String> subscriptions = Map.of();
    /** Created on the first client event: most sockets never send one. */
    private ClientEventLimiter limiter;
    private volatile String userId;
    private String userInfoJson;
    private volatile boolean closing;
    private boolean closed;
    private boolean authorized;
    private ScheduledFuture<?> authTimer;
    /** Subscribe, unsubscribe, sign-in and close, one at a time in the order the client asked. */
    private final ChangeQueue changes = new ChangeQueue();
    /** Bounds on waiting state changes and their rate; made at the first change (most sockets make few). */
    private ChangeGate gate;
    /** Whether this socket holds a slot of the app's connection quota (released once, on close). */
    private boolean reserved;
    /** Its places in presence and windowed channels' orders; null until the first such join. */
    private ChannelViews views;

    Connection(String socketId, AppEngine app, Peer peer) {
        this.socketId = socketId;
        this.app = app;
        this.config = app.config();
        this.ports = app.ports();
        this.peer = peer;
    }

    @Override
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

    @Override
    public Peer peer() {
        return peer;
    }

    List<String> subscribedChannels() {
        return new ArrayList<>(subscriptions.keySet());
    }

    private ChangeGate gate() {
        if (gate == null) {
            gate = ChangeGate.of(ports.changeBudget(), config.maxChannelsPerConnection(), ports.clock().getAsLong());
        }
        return gate;
    }

    /** Subscribe and unsubscribe beyond max_subscription_changes_per_second: refused, nothing queued. */
    private boolean changeRefused(String channel) {
        int rate = ports.changeBudget().changesPerSecond();
        if (gate().tryChange(ports.clock().getAsLong(), ChangeGate.burst(rate, config.maxChannelsPerConnection()))) {
            return false;
        }
        ports.listener().on(new EngineEvent.SubscriptionChangeRefused(config));
        String message = "Subscribe and unsubscribe rejected due to rate limit (" + rate + " per second)";
        refuse(CloseCode.CLIENT_EVENT_REJECTED.code(), channel, message, "LimitReached", 429);
        return true;
    }

    /** Counted as opened; takes a quota slot over the cluster, then says hello; refused sockets are closed with 4004. */
    void open(int activityTimeoutSeconds) {
        ports.listener().on(new EngineEvent.ConnectionOpened(config));
        changes.serially(peer, () -> Async.then(peer.executor(),
                ports.quota().reserveConnection(config.id(), config.maxConnections()), ok -> {
                    if (!ok) {
                        closeWith(CloseCode.OVER_CONNECTION_QUOTA, CloseCode.OVER_CONNECTION_QUOTA.text());
                        return null;
                    }
                    reserved = true;
                    if (!closed) {
                        start(activityTimeoutSeconds);
                    }
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
        changes.serially(peer, () -> {
            List<CompletableFuture<Void>> leaving = new ArrayList<>();
            for (String channel : new ArrayList<>(subscriptions.keySet())) {
                leaving.add(leave(channel, true).toCompletableFuture());
            }
            CompletionStage<Void> left = CompletableFuture.allOf(leaving.toArray(new CompletableFuture[0]));
            return Async.then(peer.executor(), left, x -> {
                CompletionStage<Void> out = userId != null
                        ? ports.signIns().signOut(this, userId, subscribedChannels()) : Async.DONE;
                if (reserved) {
                    ports.quota().releaseConnection(config.id());
                }
                app.unregister(this);
                ports.listener().on(new EngineEvent.ConnectionClosed(config));
                return out;
            });
        });
    }

    /** Closes the socket with 4009 from any thread (terminate, data deletion). */
    @Override
    public void terminate(String message) {
        closeWith(CloseCode.UNAUTHORIZED, message);
    }

    /** Closes the socket with 4200 from any thread (the reconnect endpoint). */
    @Override
    public void reconnect(String message) {
        closeWith(CloseCode.RECONNECT, message);
    }

    /** A text frame from the client. */
    public void onText(String text) {
        if (closed || closing) {
            return;
        }
        ports.listener().on(new EngineEvent.MessageIn(config, text.length()));
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
                changes.clientChange(peer, gate(), () -> subscribe(s));
            }
        } else if (message instanceof ClientMessage.Unsubscribe u) {
            if (!changeRefused(null)) {
                changes.clientChange(peer, gate(), () -> leave(u.channel(), false));
            }
        } else if (message instanceof ClientMessage.Signin s) {
            changes.clientChange(peer, gate(), () -> signIn(s));
        } else if (message instanceof ClientMessage.ClientEvent e) {
            clientEvent(e);
        } else if (message instanceof ClientMessage.Unknown u) {
            error(null, "Unsupported event: " + Names.quote(u.event()));
        } else if (message instanceof ClientMessage.Malformed m) {
            error(null, m.reason());
        } else {
            // ClientMessage is sealed: a message added to it must be answered here, not dropped in silence.
            throw new IllegalStateException("No answer for client message " + message);
        }
    }

    private CompletionStage<?> subscribe(ClientMessage.Subscribe s) {
        if (closed) {
            return null;
        }
        String channel = s.channel();
        Subscriptions.Decision d = ports.subscriptions().decide(config, socketId, userId, userInfoJson,
                subscriptions.size(), subscriptions.containsKey(channel), s);
        if (d.problem() != null) {
            refuse(null, d.plain() ? null : channel, d.problem(), "AuthError", 401);
            return null;
        }
        if (d.local()) {
            subscriptions = SubscriptionMaps.with(subscriptions, channel, SubscriptionMaps.NO_MEMBER);
            send(new ServerMessage.SubscriptionSucceeded(channel));
            return null;
        }
        if (d.heldInfo()) {
            return Async.then(peer.executor(), ports.subscriptions().withHeldInfo(d.member()), m -> join(d.name(), m));
        }
        return join(d.name(), d.member());
    }

    private CompletionStage<?> join(ChannelName name, Identity.Member member) {
        String channel = name.value();
        ResumeView resume = ports.resumes().view(channel);
        if (member != null || resume != null) {
            // Before the socket is in the channel's lanes: membership events and live events (while a replay is on
            // its way) from then on are held, not lost.
            if (views == null) {
                views = new ChannelViews();
            }
            views.joining(channel, member == null ? null : new PresenceView(config.maxPresenceMembers()), resume);
        }
        Subscriptions flow = ports.subscriptions();
        return Async.then(peer.executor(), flow.join(this, name, member, userId), joined -> {
            if (joined.full()) {
                if (views != null) {
                    views.drop(channel);
                }
                refuse(null, channel, flow.fullProblem(channel), "AuthError", 401);
                return null;
            }
            // Recorded even when the socket closed meanwhile: the close, queued behind this, then leaves it.
            String memberId = member == null ? SubscriptionMaps.NO_MEMBER : member.userId();
            subscriptions = SubscriptionMaps.with(subscriptions, channel, memberId);
            flow.joined(this, name, member, joined);
            if (closed) {
                return null;
            }
            if (name.type().requiresAuth()) {
                markAuthorized();
            }
            if (joined.roster() != null) {
                send(new ServerMessage.PresenceSubscriptionSucceeded(channel, joined.roster()));
                if (views != null) {
                    views.rosterSent(channel, joined.position(), peer);
                }
            } else {
                send(new ServerMessage.SubscriptionSucceeded(channel));
            }
            CompletionStage<?> cached = flow.afterJoin(this, name, joined);
            if (resume == null) {
                return cached;
            }
            CompletionStage<Void> sent = cached == null ? Async.DONE : cached.thenApply(x -> null);
            return Async.then(peer.executor(), sent, x -> ports.resumes().subscribed(this, channel, resume, userId));
        });
    }

    /** {@code lost}: the socket closed without unsubscribing (channel resume notes the user's place then). */
    private CompletionStage<Void> leave(String channel, boolean lost) {
        ResumeView resume = views == null ? null : views.drop(channel);
        if (resume != null) {
            ports.resumes().left(channel, resume, lost);
        }
        String member = subscriptions.get(channel);
        if (member == null) {
            return Async.DONE;
        }
        subscriptions = SubscriptionMaps.without(subscriptions, channel);
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.SERVER_TO_USER) {
            return Async.DONE;
        }
        return ports.subscriptions().leave(this, name, member.isEmpty() ? null : member, userId);
    }

    /** Dropped when not (or no longer) a member, or when the roster holds it; held while the roster is on its way. */
    @Override
    public boolean membership(String channel, Frame frame) {
        if (views == null || closed || closing) {
            return false;
        }
        return write(views.membership(channel, frame), channel, frame, "presence changes before the roster of ");
    }

    /** A channel event with its place in the channel's window, on the socket's loop (Resumes, ResumeView). */
    @Override
    public boolean sequenced(String channel, Frame frame) {
        if (closed || closing) {
            return false;
        }
        ResumeView.Offer offer = views == null ? ResumeView.Offer.WRITE : views.sequenced(channel, frame);
        return write(offer, channel, frame, "events before the replay of ");
    }

    /** Writes the frame when offered; past a hold's bound, closes with 4200 so that the client rejoins. */
    private boolean write(ResumeView.Offer offer, String channel, Frame frame, String tooMany) {
        if (offer == ResumeView.Offer.OVERFLOW) {
            closeWith(CloseCode.RECONNECT, "Too many " + tooMany + Names.quote(channel) + "; reconnect");
        }
        if (offer != ResumeView.Offer.WRITE) {
            return false;
        }
        peer.write(frame);
        return true;
    }

    private CompletionStage<?> signIn(ClientMessage.Signin s) {
        if (closed) {
            return null;
        }
        SignIns flow = ports.signIns();
        SignIns.Verdict v = flow.check(config, socketId, userId, s);
        if (v.problem() != null) {
            error(null, v.problem());
            return null;
        }
        boolean repeat = userId != null;
        String previousInfo = userInfoJson;
        userId = v.user().id();
        userInfoJson = v.user().userInfoJson();
        return Async.then(peer.executor(), flow.signIn(this, v.user(), repeat, subscribedChannels()), out -> {
            if (out.refused()) {
                // The user's connection limit: back to what the connection was.
                if (!repeat) {
                    userId = null;
                }
                userInfoJson = previousInfo;
                flow.refused(this, out, repeat);
                return null;
            }
            markAuthorized();
            if (!repeat && views != null && views.resumes() != null) {
                // Subscribed before signing in (pusher-js subscribes at once, signs in after a round trip): the
                // user's place is claimed now, and what it missed comes then (docs/users.md).
                ports.resumes().signedIn(this, userId, views.resumes());
            }
            return flow.accepted(this, out, s.userData());
        });
    }

    private void clientEvent(ClientMessage.ClientEvent e) {
        if (limiter == null) {
            limiter = ports.clientEvents().limiter(config);
        }
        ServerMessage.Error refused = ports.clientEvents().relay(config, socketId, e, subscriptions.get(e.channel()),
                limiter);
        if (refused != null) {
            send(refused);
        }
    }

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

    private void send(ServerMessage message) {
        peer.send(Frame.of(message));
    }

    private void error(Integer code, String message) {
        send(new ServerMessage.Error(code, message));
    }

    /** An error, then for a subscription ({@code channel} not null) its subscription_error when the app sends them. */
    private void refuse(Integer code, String channel, String message, String type, int status) {
        error(code, message);
        if (channel != null && config.sendSubscriptionErrors()) {
            send(Subscriptions.subscriptionError(channel, type, message, status));
        }
    }
}
