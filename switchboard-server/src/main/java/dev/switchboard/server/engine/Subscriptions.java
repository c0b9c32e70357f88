package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Subscribe and unsubscribe (PROTOCOL.md §2.3–§2.9, §3): who may join a channel ({@link #decide}), the join or
 * leave here and in the {@link ChannelState} (which decides occupied/vacated and member added/removed once per
 * cluster), and, through {@link ChannelTransitions}, what the channel and the listeners are told of each decision.
 * One per app; a connection's own channels are its business ({@link Connection} applies the outcomes).
 */
final class Subscriptions {
    private final Supplier<AppConfig> app;
    private final ChannelState state;
    private final UserData userData;
    private final LocalChannels channels;
    private final ChannelTransitions transitions;
    private final EngineListener listener;
    /** How long a leave of a channel is held in the state for the webhooks (AppEngine#holdMillis). */
    private final ToLongFunction<String> holdMillis;

    Subscriptions(Supplier<AppConfig> app, ChannelState state, UserData userData, LocalChannels channels,
                  ChannelTransitions transitions, EngineListener listener, ToLongFunction<String> holdMillis) {
        this.app = app;
        this.state = state;
        this.userData = userData;
        this.channels = channels;
        this.transitions = transitions;
        this.listener = listener;
        this.holdMillis = holdMillis;
    }

    /**
     * The verdict on a subscribe request: the channel and member, or why not ({@code problem}; told as a
     * subscription_error too unless {@code plain}). {@code heldInfo}: the member is the signed-in user, whose
     * user_info is read from what the server holds when it joins.
     */
    record Decision(ChannelName name, Identity.Member member, String problem, boolean plain, boolean heldInfo) {
        static Decision no(String problem) { return new Decision(null, null, problem, false, false); }

        static Decision yes(ChannelName name, Identity.Member member) { return new Decision(name, member, null, false, false); }

        /** A server-to-user channel: joined here only, never in the shared state (its user's topic carries it). */
        boolean local() {
            return name.type() == ChannelType.SERVER_TO_USER;
        }
    }

    /**
     * Whether socket {@code socketId} of {@code connection} (the app's settings as it opened), signed in as
     * {@code userId} (null: not) with {@code userInfoJson}, holding {@code held} channels ({@code already}: this one
     * among them), may subscribe.
     */
    Decision decide(AppConfig connection, String socketId, String userId, String userInfoJson, int held,
                    boolean already, ClientMessage.Subscribe s) {
        String channel = s.channel();
        if (already) {
            return new Decision(null, null, "Existing subscription to channel " + Names.quote(channel), true, false);
        }
        int maxChannels = connection.maxChannelsPerConnection();
        if (maxChannels >= 0 && held >= maxChannels) {
            listener.on(new EngineEvent.ChannelLimitReached(connection));
            return Decision.no("Channel limit reached: a connection may subscribe to " + maxChannels + " channels");
        }
        AppConfig config = app.get();
        String problem = ChannelName.problem(channel, config.maxChannelNameLength());
        if (problem != null) {
            return Decision.no(problem);
        }
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.SERVER_TO_USER) {
            if (userId == null || !userId.equals(name.serverToUserId())) {
                return Decision.no("Subscription to " + Names.quote(channel)
                        + " is only allowed for a connection signed in as " + Names.quote(name.serverToUserId()));
            }
            return Decision.yes(name, null);
        }
        if (!name.type().requiresAuth()) {
            return Decision.yes(name, null);
        }
        problem = Authorizer.subscription(config, socketId, name, s.auth(), s.channelData());
        if (problem != null) {
            return Decision.no(problem);
        }
        if (!name.isPresence()) {
            return Decision.yes(name, null);
        }
        if (s.channelData() != null) {
            Identity.Parsed<Identity.Member> parsed = Identity.member(s.channelData(), config);
            return parsed.problem() != null ? Decision.no(parsed.problem()) : Decision.yes(name, parsed.value());
        }
        if (userId != null) {
            // Presence authorised through sign-in (§3.4): the member is the signed-in user, with the user_info the
            // server holds for it (which a user-data PUT may have replaced): see withHeldInfo.
            return new Decision(name, new Identity.Member(userId, userInfoJson), null, false, true);
        }
        return Decision.no("Presence subscription to " + Names.quote(channel)
                + " needs channel_data or a signed-in connection");
    }

    /** A pusher:subscription_error of {@code type} and HTTP-like {@code status}, as pusher-js reads it. */
    static ServerMessage.ChannelEvent subscriptionError(String channel, String type, String message, int status) {
        return new ServerMessage.ChannelEvent("pusher:subscription_error", channel, "{\"type\":\"" + type
                + "\",\"error\":" + WireCodec.quote(message) + ",\"status\":" + status + "}", null);
    }

    /** The presence-through-sign-in member with the user_info held for it now (a PUT may have replaced it). */
    CompletionStage<Identity.Member> withHeldInfo(Identity.Member member) {
        return userData.userInfo(app.get().id(), member.userId())
                .thenApply(info -> info == null ? member : new Identity.Member(member.userId(), info));
    }

    /**
     * Adds the socket here and to the shared state, in parallel; the stage completes when both are done (the
     * broker then delivers the channel's frames from everywhere, so nothing published after the
     * subscription_succeeded that follows is missed). A refused join (presence full) is undone here.
     * {@code userId}: the user the socket is signed in as (null: not).
     */
    CompletionStage<ChannelState.Joined> join(Recipient c, ChannelName name, Identity.Member member, String userId) {
        CompletionStage<Void> ready = channels.add(c, name);
        ChannelState.Member m = member == null ? null : new ChannelState.Member(member.userId(), member.userInfoJson());
        AppConfig config = app.get();
        int max = config.maxPresenceMembers();
        // A presence join is decided only once this node receives the channel's events from everywhere: every
        // membership change after the join's position then reaches the joiner (docs/cluster.md). Other channels need
        // nothing before subscription_succeeded, so they ask both at once.
        CompletionStage<ChannelState.Joined> joined = m == null
                ? state.join(config.id(), name.value(), null, userId, max)
                : ready.thenCompose(r -> state.join(config.id(), name.value(), m, userId, max));
        return joined.thenCombine(ready, (j, r) -> {
            if (j.full()) {
                channels.remove(c, name);
            }
            return j;
        });
    }

    /** Why a presence join was refused: the channel is at its member limit. */
    String fullProblem(String channel) {
        return "Presence channel " + Names.quote(channel) + " is full (" + app.get().maxPresenceMembers() + " members)";
    }

    /** The join was decided and recorded: occupied, member_added for the other subscribers (ChannelTransitions). */
    void joined(Recipient c, ChannelName name, Identity.Member member, ChannelState.Joined joined) {
        transitions.joined(c.socketId(), name.value(), member, joined);
    }

    /** After the subscriber's subscription_succeeded: the new count, then the cache (or cache_miss) for it. */
    CompletionStage<?> afterJoin(Recipient c, ChannelName name, ChannelState.Joined joined) {
        String channel = name.value();
        listener.on(new EngineEvent.Subscribed(app.get(), channel));
        transitions.countChanged(channel, joined.subscriptionCount());
        if (!name.cache()) {
            return null;
        }
        return Async.then(c.peer().executor(), state.cacheGet(app.get().id(), channel), cached -> {
            if (cached != null) {
                c.peer().send(Frame.of(new ServerMessage.ChannelEvent(cached.event(), channel,
                        WireCodec.quote(cached.data()), null)));
            } else {
                c.peer().send(Frame.of(new ServerMessage.CacheMiss(channel)));
                listener.on(new EngineEvent.CacheMiss(app.get(), channel));
            }
            return null;
        });
    }

    /**
     * Takes the socket, joined as {@code memberId} (null off presence) and signed in as {@code userId}, out here and
     * from the shared state, then tells the channel what that decided.
     */
    CompletionStage<Void> leave(Recipient c, ChannelName name, String memberId, String userId) {
        channels.remove(c, name);
        String channel = name.value();
        return Async.then(c.peer().executor(), state.leave(app.get().id(), channel, memberId, userId,
                holdMillis.applyAsLong(channel)), left -> {
            transitions.left(channel, memberId, left);
            listener.on(new EngineEvent.Unsubscribed(app.get(), channel));
            return null;
        });
    }
}
