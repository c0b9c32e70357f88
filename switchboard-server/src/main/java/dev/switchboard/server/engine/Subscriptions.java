package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import java.util.concurrent.CompletionStage;

/**
 * Subscribe and unsubscribe (PROTOCOL.md §2.3–§2.9, §3): who may join a channel, the join or leave here and in
 * the {@link SharedState} (which decides occupied/vacated and member added/removed once per cluster), and what
 * the channel and the listeners are told of each decision.
 */
final class Subscriptions {
    /** Above this many subscribers, subscription_count is sent at most once per interval (§2.9). */
    private static final int COUNT_THROTTLE_THRESHOLD = 100;
    private static final long COUNT_THROTTLE_MILLIS = 30_000;

    /** How much of a string to sign, and of a wrong signature, an invalid-signature error quotes. */
    static final int SIGNED_STRING_QUOTE_LIMIT = 1024;
    static final int SIGNATURE_QUOTE_LIMIT = 64;

    private final AppEngine app;

    Subscriptions(AppEngine app) {
        this.app = app;
    }

    /**
     * The verdict on a subscribe request: the channel and member, or why not. {@code heldInfo}: the member is the
     * signed-in user, whose user_info is read from what the server holds when it joins.
     */
    record Decision(ChannelName name, Identity.Member member, String problem, boolean heldInfo) {
        static Decision no(String problem) { return new Decision(null, null, problem, false); }
    }

    /**
     * pusher-js's and Pusher's wording, with the exact string to sign: what a developer needs to fix an auth
     * endpoint. The channel in it has passed the length check; the channel_data and the signature the client sent
     * have not, so the string is quoted up to {@link #SIGNED_STRING_QUOTE_LIMIT} (far beyond real channel_data) and
     * the signature, a 64-digit hex digest when well-formed, up to the usual name limit.
     */
    static String invalidSignature(String toSign, String auth) {
        return "Invalid signature: Expected HMAC SHA256 hex digest of " + Names.quote(toSign, SIGNED_STRING_QUOTE_LIMIT)
                + ", but got " + Names.quote(auth.substring(auth.indexOf(':') + 1), SIGNATURE_QUOTE_LIMIT);
    }

    Decision decide(Connection c, ClientMessage.Subscribe s) {
        String channel = s.channel();
        String problem = ChannelName.problem(channel, app.config().maxChannelNameLength());
        if (problem != null) {
            return Decision.no(problem);
        }
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.SERVER_TO_USER) {
            String uid = c.userId();
            if (uid == null || !uid.equals(name.serverToUserId())) {
                return Decision.no("Subscription to " + Names.quote(channel)
                        + " is only allowed for a connection signed in as " + Names.quote(name.serverToUserId()));
            }
            return new Decision(name, null, null, false);
        }
        if (!name.type().requiresAuth()) {
            return new Decision(name, null, null, false);
        }
        String auth = s.auth();
        if (!Signatures.isWellFormedAuth(auth)) {
            return Decision.no("Auth value for subscription to " + Names.quote(channel)
                    + " is invalid: should be of format 'key:signature'");
        }
        String key = auth.substring(0, auth.indexOf(':'));
        if (!Signatures.matches(app.config().key(), key)) {
            return Decision.no("Invalid key in subscription auth to " + Names.quote(channel) + ": " + Names.quote(key));
        }
        Identity.Member member = null;
        String toSign;
        if (name.isPresence() && s.channelData() != null) {
            toSign = Signatures.presenceString(c.socketId(), channel, s.channelData());
        } else {
            toSign = Signatures.channelString(c.socketId(), channel);
        }
        if (!Signatures.verifyAuth(auth, app.config().key(), app.config().secret(), toSign)) {
            return Decision.no(invalidSignature(toSign, auth));
        }
        if (name.isPresence()) {
            if (s.channelData() != null) {
                Identity.Parsed<Identity.Member> parsed = Identity.member(s.channelData(), app.config());
                if (parsed.problem() != null) {
                    return Decision.no(parsed.problem());
                }
                member = parsed.value();
            } else if (c.userId() != null) {
                // Presence authorised through sign-in (§3.4): the member is the signed-in user, with the
                // user_info the server holds for it (which a user-data PUT may have replaced): see join.
                return new Decision(name, new Identity.Member(c.userId(), c.userInfoJson()), null, true);
            } else {
                return Decision.no("Presence subscription to " + Names.quote(channel)
                        + " needs channel_data or a signed-in connection");
            }
        }
        return new Decision(name, member, null, false);
    }

    /**
     * Adds the socket here and to the shared state, in parallel; the stage completes when both are done (the
     * broker then delivers the channel's frames from everywhere, so nothing published after the
     * subscription_succeeded that follows is missed). A refused join (presence full) is undone here.
     */
    CompletionStage<ChannelState.Joined> join(Connection c, ChannelName name, Identity.Member member) {
        CompletionStage<Void> ready = app.channels.add(c, name);
        ChannelState.Member m = member == null ? null : new ChannelState.Member(member.userId(), member.userInfoJson());
        String userId = c.userId();
        int max = app.config().maxPresenceMembers();
        // A presence join is decided only once this node receives the channel's events from everywhere: every
        // membership change after the join's position then reaches the joiner (docs/cluster.md). Other channels need
        // nothing before subscription_succeeded, so they ask both at once.
        CompletionStage<ChannelState.Joined> joined = m == null
                ? app.state.channels().join(app.config().id(), name.value(), null, userId, max)
                : ready.thenCompose(r -> app.state.channels().join(app.config().id(), name.value(), m, userId, max));
        return joined.thenCombine(ready, (j, r) -> {
            if (j.full()) {
                app.channels.remove(c, name);
            }
            return j;
        });
    }

    /** The presence-through-sign-in member with the user_info held for it now (a PUT may have replaced it). */
    CompletionStage<Identity.Member> withHeldInfo(Identity.Member member) {
        return app.state.userData().userInfo(app.config().id(), member.userId())
                .thenApply(info -> info == null ? member : new Identity.Member(member.userId(), info));
    }

    /**
     * What the channel and the listeners learn of a join that was just decided: occupied, member_added (for the
     * other subscribers, on every node), then, after the subscriber had its subscription_succeeded, the cache and
     * the new count.
     */
    void joined(Connection c, ChannelName name, Identity.Member member, ChannelState.Joined joined) {
        String channel = name.value();
        if (joined.occupied()) {
            app.listener.channelOccupied(app.config(), channel, joined.vacancyCancelled());
        }
        if (joined.newMember()) {
            Frame added = Frame.membership(new ServerMessage.MemberAdded(channel, member.userId(),
                    member.userInfoJson()), joined.position());
            // Announced: the state published it to every node, this one included, in the channel's order; its
            // broker brings it here in that order (a local delivery now could overtake an earlier change of another
            // node still on its way). The joiner's roster already holds it (its position), so it drops it.
            if (!joined.announced()) {
                app.broadcast(channel, added, c);
            }
            if (!decidedAlone(joined.position())) {
                app.listener.memberAdded(app.config(), channel, member.userId(), joined.removalCancelled());
            }
        }
    }

    /**
     * A presence change outside the channel's order was decided by this node alone, the shared state out of reach:
     * its own clients are told, but no webhook goes out. The node rejoins the cluster when it reaches the state
     * again, and the cluster's own transitions (the removal of what it held before, the return of who is there now)
     * are the ones the webhooks report, once (docs/cluster.md, "Partitions: the fence").
     */
    private static boolean decidedAlone(long position) {
        return position == Frame.UNORDERED;
    }

    /** After the subscriber's subscription_succeeded: the cache (or cache_miss) and the new count. */
    CompletionStage<?> afterJoin(Connection c, ChannelName name, ChannelState.Joined joined) {
        String channel = name.value();
        app.listener.subscribed(app.config(), channel);
        countChanged(channel, joined.subscriptionCount());
        if (!name.cache()) {
            return null;
        }
        return Async.then(c.peer().executor(), app.state.channels().cacheGet(app.config().id(), channel), cached -> {
            if (cached != null) {
                c.send(new ServerMessage.ChannelEvent(cached.event(), channel, WireCodec.quote(cached.data()), null));
            } else {
                c.send(new ServerMessage.CacheMiss(channel));
                app.listener.cacheMiss(app.config(), channel);
            }
            return null;
        });
    }

    /** Takes the socket out here and from the shared state, then tells the channel what that decided. */
    CompletionStage<Void> leave(Connection c, ChannelName name, String memberId) {
        app.channels.remove(c, name);
        String channel = name.value();
        return Async.then(c.peer().executor(), app.state.channels().leave(app.config().id(), channel, memberId, c.userId(),
                app.holdMillis(channel)), left -> {
            left(channel, memberId, left);
            app.listener.unsubscribed(app.config(), channel);
            return null;
        });
    }

    /** The events of a leave, whichever node's socket it was (a dead node's come through the same place). */
    void left(String channel, String memberId, ChannelState.Left left) {
        if (left.memberRemoved()) {
            memberRemoved(channel, memberId, left.position(), left.announced(), left.removalHeld(),
                    !decidedAlone(left.position()));
        }
        if (left.vacated()) {
            app.listener.channelVacated(app.config(), channel, left.vacancyHeld());
        } else {
            countChanged(channel, left.subscriptionCount());
        }
    }

    /** {@code announced}: the state already published it to every node, this one included (see {@link #joined}). */
    void memberRemoved(String channel, String memberId, long position, boolean announced) {
        memberRemoved(channel, memberId, position, announced, false, true);
    }

    /**
     * As above; {@code held}: the state holds the removal for the webhooks (docs/webhooks.md); {@code webhook}: false
     * for a removal this node decided alone ({@link #decidedAlone}).
     */
    void memberRemoved(String channel, String memberId, long position, boolean announced, boolean held,
                       boolean webhook) {
        if (!announced) {
            app.broadcast(channel, Frame.membership(new ServerMessage.MemberRemoved(channel, memberId), position), null);
        }
        if (webhook) {
            app.listener.memberRemoved(app.config(), channel, memberId, held);
        }
    }

    /**
     * Tells the channel its count. Big channels are throttled by the last broadcast this node made for the
     * channel (PROTOCOL.md §2.9); a channel with no subscriber here keeps no such time and is never throttled.
     */
    void countChanged(String channel, int count) {
        ChannelName name = ChannelName.of(channel);
        if (!app.config().enableSubscriptionCount() || (name.isPresence() && !app.config().subscriptionCountOnPresence())) {
            return;
        }
        Channel ch = app.channels.get(channel);
        long now = app.clock.getAsLong();
        if (ch != null) {
            if (count > COUNT_THROTTLE_THRESHOLD && now - ch.lastCountBroadcastMillis < COUNT_THROTTLE_MILLIS) {
                return;
            }
            ch.lastCountBroadcastMillis = now;
        }
        app.broadcast(channel, Frame.of(new ServerMessage.SubscriptionCount(channel, count)), null);
        app.listener.subscriptionCount(app.config(), channel, count);
    }
}
