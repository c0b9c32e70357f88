package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One app on this node: what delivery needs here (its sockets, the channels and users they listen to, the
 * watchers index), the app's protocol flows (made here, each with the ports it uses, and handed to its
 * connections as {@link ConnectionPorts}) and the app's side of the cluster seam. The HTTP API publishes through
 * {@link #trigger}, its one entry point; every frame goes through the {@link Broker}, which brings it back to
 * {@link #deliver} on every node. Every cluster-visible fact is asked of the {@link SharedState}'s ports.
 */
public final class AppEngine {
    /** Replaced when the app's settings change (disabled, secret rotated); connections already open keep theirs. */
    private volatile AppConfig config;
    private final SharedState state;
    private final Broker broker;
    private final EngineListener listener;
    private final LongSupplier clock;
    private final Map<String, Recipient> connections = new ConcurrentHashMap<>();
    private final LocalChannels channels;
    private final UserRegistry users;
    private final Watchlists watchlists;
    private final Channel.DeliveryCounter deliveryCounter;
    private final ChannelTransitions transitions;
    private final Watchers watchers;
    private final SignIns signIns;
    /** What this app's connections use: one set of flows per app, not one per connection. */
    private final ConnectionPorts ports;
    /** The webhooks' leave delay: how long the state holds a leave that a webhook waits to confirm. */
    private final long leaveDelayMillis;

    AppEngine(AppConfig config, Broker broker, SharedState state, EngineListener listener, LongSupplier clock,
              ChangeGate.Budget changeBudget, long leaveDelayMillis) {
        this.leaveDelayMillis = leaveDelayMillis;
        this.config = config;
        this.broker = broker;
        this.state = state;
        this.listener = listener;
        this.clock = clock;
        this.channels = new LocalChannels(config.id(), broker);
        this.users = new UserRegistry(config.id(), broker);
        this.watchlists = new Watchlists(config.id(), broker);
        this.deliveryCounter = (recipients, bytes) -> listener.delivered(this.config, recipients, bytes);
        this.transitions = new ChannelTransitions(this::config, channels, broker, listener, clock);
        this.watchers = new Watchers(this::config, broker, users, watchlists);
        this.signIns = new SignIns(this::config, state.users(), users, watchlists, watchers, listener, this::holdMillis);
        Subscriptions subscriptions = new Subscriptions(this::config, state.channels(), state.userData(), channels,
                transitions, listener, this::holdMillis);
        this.ports = new ConnectionPorts(state.quota(), subscriptions, signIns, new ClientEvents(broker, listener, clock),
                new Resumes(this::config, state::windows, listener), listener, clock, changeBudget);
    }

    public AppConfig config() {
        return config;
    }

    /**
     * How long a leave of {@code channel} (null: a sign-out) is held in the state for the webhooks (docs/webhooks.md):
     * the leave delay when the app has webhook targets, 0 otherwise (nothing would confirm the hold). Server-to-user
     * channels never make webhooks.
     */
    long holdMillis(String channel) {
        if (leaveDelayMillis <= 0 || config.webhooks().isEmpty()
                || (channel != null && channel.startsWith(ChannelName.SERVER_TO_USER_PREFIX))) {
            return 0;
        }
        return leaveDelayMillis;
    }

    ConnectionPorts ports() {
        return ports;
    }

    /** The app's new settings, same id; from {@link Engine} only. */
    void reconfigure(AppConfig next) {
        this.config = next;
    }

    /** Sockets open on this node (the cluster-wide figures come from the queries below). */
    public int connectionCount() {
        return connections.size();
    }

    /** Channels with a subscriber on this node. */
    public int channelCount() {
        return channels.size();
    }

    /** Users with a signed-in connection on this node. */
    public int onlineUserCount() {
        return users.size();
    }

    // ------------------------------------------------------------------ connections

    /** Registers under a fresh socket id; false when the id is taken (the caller draws another). */
    boolean register(Recipient c) {
        return connections.putIfAbsent(c.socketId(), c) == null;
    }

    void unregister(Recipient c) {
        connections.remove(c.socketId(), c);
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Publish from the HTTP API. A {@code #server-to-user-<id>} channel goes to that user's connections;
     * a cache channel keeps the event. The frame is encoded once for all recipients on all nodes.
     */
    public void trigger(String channel, String event, String data, String exceptSocketId) {
        Frame frame = Frame.of(new ServerMessage.ChannelEvent(event, channel, WireCodec.quote(data), null));
        listener.on(new EngineEvent.EventPublished(config, channel, event, frame.size(),
                EngineEvent.Origin.HTTP_API));
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.SERVER_TO_USER) {
            toUser(name.serverToUserId(), event, data, frame, exceptSocketId);
            return;
        }
        if (name.cache()) {
            state.channels().cachePut(config.id(), channel,
                    new CachedEvent(event, data, clock.getAsLong() + config.cacheTtlSeconds() * 1000L));
        }
        if (config.keepsWindow(channel)) {
            // The event's place in the channel's window rides along with the frame (never on the wire); a publish
            // the window could not keep still goes out live, without a place (Resumes).
            // The window publishes in the order of its sequences (two racing publishes included). A publish it could
            // not keep, known not to have gone out, still goes out live, without a place (Resumes).
            Topic topic = Topic.channel(config.id(), channel);
            state.windows().appendAndPublish(config.id(), channel, event, data, Resumes.limits(config), frame,
                    exceptSocketId, seq -> broker.publish(topic, frame.withSequence(seq), exceptSocketId))
                    .exceptionally(failed -> {
                        if (Async.unwrap(failed) instanceof StateUnavailableException) {
                            broker.publish(topic, frame, exceptSocketId);
                        }
                        return null;
                    });
            return;
        }
        broker.publish(Topic.channel(config.id(), channel), frame, exceptSocketId);
    }

    /**
     * An event for every connection of a user. With the inbox on, the shared state first decides, atomically with
     * sign-ins, whether the user is offline everywhere: then the event waits for its next sign-in instead.
     */
    private void toUser(String userId, String event, String data, Frame frame, String exceptSocketId) {
        Topic topic = Topic.user(config.id(), userId);
        int ttl = config.userInboxTtlSeconds();
        if (ttl <= 0) {
            broker.publish(topic, frame, exceptSocketId);
            return;
        }
        long now = clock.getAsLong();
        Inboxes.KeptEvent kept = new Inboxes.KeptEvent(event, data, now, now + ttl * 1000L);
        state.inboxes().keepIfOffline(config.id(), userId, kept, config.userInboxMaxEvents()).thenAccept(k -> {
            if (k.kept()) {
                listener.on(new EngineEvent.InboxKept(config, k.dropped()));
            } else {
                broker.publish(topic, frame, exceptSocketId);
            }
        });
    }

    /** The user's inbox (HTTP API). */
    public CompletionStage<Inboxes.Inbox> inbox(String userId, boolean withEvents) {
        return state.inboxes().inbox(config.id(), userId, withEvents);
    }

    /** Empties the user's inbox; how many events it held. */
    public CompletionStage<Integer> clearInbox(String userId) {
        return state.inboxes().clearInbox(config.id(), userId);
    }

    /** What the broker brings to this node for one of its topics. */
    void deliver(Topic topic, Frame frame, String exceptSocketId) {
        switch (topic.kind()) {
            case CHANNEL -> {
                Channel ch = channels.get(topic.name());
                if (ch == null) {
                    return;
                }
                Recipient except = exceptSocketId == null ? null : connections.get(exceptSocketId);
                if (frame.sequence() > 0) {
                    // Marked as taken for delivery first, so a node killed now leaves its users' places behind.
                    ch.fanOutAfter(state.windows().taking(config.id(), topic.name(), frame.sequence()), frame, except,
                            deliveryCounter);
                } else {
                    ch.fanOut(frame, except, deliveryCounter);
                }
            }
            case USER -> {
                int n = 0;
                for (Recipient c : users.connections(topic.name())) {
                    if (!c.socketId().equals(exceptSocketId)) {
                        c.peer().send(frame);
                        n++;
                    }
                }
                if (n > 0) {
                    listener.delivered(config, n, frame.size());
                }
            }
            case WATCHERS -> watchers.deliver(topic.name(), frame);
        }
    }

    /** Closes this node's connections of the user (the broker calls this on every node). */
    void terminateLocal(String userId) {
        for (Recipient c : users.connections(userId)) {
            c.terminate("Connection terminated by the server");
        }
    }

    /** Closes this node's connections of the user with 4200 (the broker calls this on every node). */
    void reconnectLocal(String userId) {
        for (Recipient c : users.connections(userId)) {
            c.reconnect("Reconnect and sign in again, as the server asked");
        }
    }

    // ------------------------------------------------------------------ transitions decided elsewhere

    /**
     * Another node's socket left the presence channel for good (its node died): the usual member_removed, at its
     * position in the membership order and already published to every node, this one included, when {@code announced}.
     */
    void memberRemoved(String channel, String userId, long position, boolean announced) {
        transitions.memberRemoved(channel, userId, position, announced);
    }

    void channelVacated(String channel) {
        transitions.vacated(channel);
    }

    void subscriptionCountChanged(String channel, int count) {
        transitions.countChanged(channel, count);
    }

    /** {@code announced}: the state already told the watchers, at {@code position} (SharedState.Transitions). */
    void userOffline(String userId, long position, boolean announced) {
        signIns.wentOffline(userId, false, position, announced);
    }

    // ------------------------------------------------------------------ HTTP API queries (cluster-wide)

    public CompletionStage<ChannelStats> channelStats(String channel) {
        return state.channels().channel(config.id(), channel);
    }

    /** Occupied channels whose name starts with prefix (null: all), never {@code #server-to-user-}. */
    public CompletionStage<Map<String, ChannelStats>> occupiedChannels(String prefix) {
        return state.channels().channels(config.id(), prefix);
    }

    public CompletionStage<List<String>> presenceUserIds(String channel) {
        return state.channels().members(config.id(), channel);
    }

    /** Closes every connection of the user on every node; the webhook says so once, from here. */
    public void terminateUser(String userId) {
        state.users().online(config.id(), List.of(userId)).thenAccept(online -> {
            if (!online.isEmpty()) {
                listener.on(new EngineEvent.UserTerminated(config, userId));
            }
        });
        broker.terminateUser(config.id(), userId);
    }

    /**
     * Bans the user for {@code millis} on every node, then terminates its connections everywhere; completes with the
     * ban's end once recorded. Recorded first: a sign-in decided before it has its connection already indexed on its
     * node, which the termination then reaches; one decided after it is refused (docs/users.md, "Bans").
     */
    public CompletionStage<Long> banUser(String userId, long millis) {
        return state.bans().ban(config.id(), userId, millis).thenApply(until -> {
            listener.on(new EngineEvent.UserBanned(config, userId, until));
            terminateUser(userId);
            return until;
        });
    }

    /** Lifts the user's ban; true (and the webhook) when it had one. */
    public CompletionStage<Boolean> liftBan(String userId) {
        return state.bans().lift(config.id(), userId).thenApply(lifted -> {
            if (lifted) {
                listener.on(new EngineEvent.UserUnbanned(config, userId));
            }
            return lifted;
        });
    }

    /**
     * Closes every connection of the user on every node with 4200: its clients reconnect at once and sign in again
     * through the app's auth endpoint, which decides afresh (a changed role, a ban). No webhook of its own: the
     * user_offline and user_online of the reconnect say it.
     */
    public void reconnectUser(String userId) {
        broker.reconnectUser(config.id(), userId);
    }

    // ------------------------------------------------------------------ user data API (cluster-wide)

    /** Null when the server holds nothing about the user; a banned user is known through its ban. */
    public CompletionStage<UserSnapshot> user(String userId) {
        return state.userData().user(config.id(), userId)
                .thenCombine(state.bans().bannedUntil(config.id(), userId), (user, until) -> {
                    if (until == 0) {
                        return user;
                    }
                    return (user != null ? user : new UserSnapshot(userId, false, 0, null, List.of(), List.of()))
                            .withBan(until);
                });
    }

    public CompletionStage<UserPage> onlineUsers(String cursor, int limit) {
        return state.userData().users(config.id(), cursor, limit);
    }

    /** Replaces the user_info held for an online user (used by later presence joins through sign-in). */
    public CompletionStage<Boolean> updateUserInfo(String userId, String userInfoJson) {
        return state.userData().updateUserInfo(config.id(), userId, userInfoJson);
    }

    /**
     * Erases what is held about the user, then terminates its connections everywhere and tells its watchers. Erasing
     * first, in one step, means the closing sockets find no entry and decide nothing, so this call alone tells
     * the watchers. Null when unknown.
     */
    public CompletionStage<UserErasure> deleteUser(String userId) {
        return state.userData().eraseUser(config.id(), userId).thenApply(erased -> {
            if (erased == null || erased.connectionsClosed() == 0) {
                return erased;
            }
            listener.on(new EngineEvent.UserTerminated(config, userId));
            broker.terminateUser(config.id(), userId);
            signIns.wentOffline(userId);
            watchlists.removeWatched(userId);
            return erased;
        });
    }

    // ------------------------------------------------------------------ close

    void closeAll(CloseCode code, String message) {
        for (Recipient c : connections.values()) {
            c.peer().close(code, message);
        }
    }

    void addPeers(List<Peer> into) {
        for (Recipient c : connections.values()) {
            into.add(c.peer());
        }
    }
}
