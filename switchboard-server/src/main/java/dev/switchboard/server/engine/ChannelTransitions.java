package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.config.AppConfig;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What a channel's subscribers (on every node) and the listeners are told of each transition the
 * {@link ChannelState} decided: occupied and vacated, member_added and member_removed, the subscription count.
 * The same place for this node's joins and leaves and for those decided elsewhere (a dead node's sockets), so
 * each decision makes its events once. One per app.
 */
final class ChannelTransitions {
    /** Above this many subscribers, subscription_count is sent at most once per interval (§2.9). */
    private static final int COUNT_THROTTLE_THRESHOLD = 100;
    private static final long COUNT_THROTTLE_MILLIS = 30_000;

    private final Supplier<AppConfig> app;
    private final LocalChannels channels;
    private final Broker broker;
    private final EngineListener listener;
    private final LongSupplier clock;

    ChannelTransitions(Supplier<AppConfig> app, LocalChannels channels, Broker broker, EngineListener listener,
                       LongSupplier clock) {
        this.app = app;
        this.channels = channels;
        this.broker = broker;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * A presence change outside the channel's order was decided by this node alone, the shared state out of reach:
     * its own clients are told, but no webhook goes out. The node rejoins the cluster when it reaches the state
     * again, and the cluster's own transitions (the removal of what it held before, the return of who is there now)
     * are the ones the webhooks report, once (docs/cluster.md, "Partitions: the fence").
     */
    static boolean decidedAlone(long position) {
        return position == Frame.UNORDERED;
    }

    /** A join of socket {@code joiner} was just decided: occupied, then member_added for the other subscribers. */
    void joined(String joiner, String channel, Identity.Member member, ChannelState.Joined joined) {
        AppConfig config = app.get();
        if (joined.occupied()) {
            listener.on(new EngineEvent.ChannelOccupied(config, channel, joined.vacancyCancelled()));
        }
        if (joined.newMember()) {
            Frame added = Frame.membership(new ServerMessage.MemberAdded(channel, member.userId(),
                    member.userInfoJson()), joined.position());
            // Announced: the state published it to every node, this one included, in the channel's order; its
            // broker brings it here in that order (a local delivery now could overtake an earlier change of another
            // node still on its way). The joiner's roster already holds it (its position), so it drops it.
            if (!joined.announced()) {
                publish(channel, added, joiner);
            }
            if (!decidedAlone(joined.position())) {
                listener.on(new EngineEvent.MemberAdded(app.get(), channel, member.userId(),
                        joined.removalCancelled()));
            }
        }
    }

    /** The events of a leave, whichever node's socket it was (a dead node's come through the same place). */
    void left(String channel, String memberId, ChannelState.Left left) {
        if (left.memberRemoved()) {
            memberRemoved(channel, memberId, left.position(), left.announced(), left.removalHeld(),
                    !decidedAlone(left.position()));
        }
        if (left.vacated()) {
            listener.on(new EngineEvent.ChannelVacated(app.get(), channel, left.vacancyHeld()));
        } else {
            countChanged(channel, left.subscriptionCount());
        }
    }

    /** The last subscriber anywhere left, decided elsewhere (a dead node's). */
    void vacated(String channel) {
        listener.on(new EngineEvent.ChannelVacated(app.get(), channel, false));
    }

    /** {@code announced}: the state already published it to every node, this one included (see {@link #joined}). */
    void memberRemoved(String channel, String memberId, long position, boolean announced) {
        memberRemoved(channel, memberId, position, announced, false, true);
    }

    /**
     * As above; {@code held}: the state holds the removal for the webhooks (docs/webhooks.md); {@code webhook}: false
     * for a removal this node decided alone ({@link #decidedAlone}).
     */
    private void memberRemoved(String channel, String memberId, long position, boolean announced, boolean held,
                               boolean webhook) {
        if (!announced) {
            publish(channel, Frame.membership(new ServerMessage.MemberRemoved(channel, memberId), position), null);
        }
        if (webhook) {
            listener.on(new EngineEvent.MemberRemoved(app.get(), channel, memberId, held));
        }
    }

    /**
     * Tells the channel its count. Big channels are throttled by the last broadcast this node made for the
     * channel (PROTOCOL.md §2.9); a channel with no subscriber here keeps no such time and is never throttled.
     */
    void countChanged(String channel, int count) {
        ChannelName name = ChannelName.of(channel);
        AppConfig config = app.get();
        if (!config.enableSubscriptionCount() || (name.isPresence() && !config.subscriptionCountOnPresence())) {
            return;
        }
        Channel ch = channels.get(channel);
        long now = clock.getAsLong();
        if (ch != null && !ch.countDue(now, count > COUNT_THROTTLE_THRESHOLD ? COUNT_THROTTLE_MILLIS : 0)) {
            return;
        }
        publish(channel, Frame.of(new ServerMessage.SubscriptionCount(channel, count)), null);
        listener.on(new EngineEvent.SubscriptionCount(app.get(), channel, count));
    }

    private void publish(String channel, Frame frame, String exceptSocketId) {
        broker.publish(Topic.channel(app.get().id(), channel), frame, exceptSocketId);
    }
}
