package dev.switchboard.server.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Channels and presence over the cluster: who subscribes to each channel on every node, the presence members in
 * their membership order, and the last event of cache channels. Each first subscriber and last leaver of a channel,
 * and each first and last socket of a member, is decided here once per cluster; the engine turns the answers into
 * events, webhooks and counts. A leave may be held for the webhooks' leave delay ({@link HeldLeaves}). Writes never
 * fail (see {@link SharedState}); queries may.
 */
public interface ChannelState {

    /**
     * One more socket of this node subscribes. {@code member} is set on presence channels; {@code signedInUserId}
     * is the user the socket is signed in as (null when not), for the user's channel list.
     */
    CompletionStage<Joined> join(String appId, String channel, Member member, String signedInUserId, int maxMembers);

    /** One socket of this node that {@link #join}ed leaves; {@code memberId} as it joined. Nothing held. */
    default CompletionStage<Left> leave(String appId, String channel, String memberId, String signedInUserId) {
        return leave(appId, channel, memberId, signedInUserId, 0);
    }

    /**
     * As above; {@code holdMillis} &gt; 0: a vacancy or member removal it decides is recorded as <em>held</em> for the
     * webhooks' leave delay, in the same step ({@link Left#vacancyHeld()}, {@link Left#removalHeld()}): a join
     * anywhere that finds it cancels it, and the node that holds the webhook sends it only if
     * {@link HeldLeaves#confirmHeld} still finds it (docs/webhooks.md). The record is kept at least {@code holdMillis}.
     */
    CompletionStage<Left> leave(String appId, String channel, String memberId, String signedInUserId, long holdMillis);

    /** Vacant with count 0 (and no cache) when nobody subscribes. */
    CompletionStage<ChannelStats> channel(String appId, String channel);

    /** Occupied channels whose name starts with the prefix (null: all), never {@code #server-to-user-} ones. */
    CompletionStage<Map<String, ChannelStats>> channels(String appId, String prefix);

    /** Presence member user ids, in join order where the store keeps it. */
    CompletionStage<List<String>> members(String appId, String channel);

    /** Keeps the last event of a cache channel until {@code event.expiresAtMillis()}. */
    void cachePut(String appId, String channel, CachedEvent event);

    /** Null when nothing (unexpired) is kept. */
    CompletionStage<CachedEvent> cacheGet(String appId, String channel);

    /** A presence member as it joins: the user id and its user_info JSON (may be null). */
    record Member(String userId, String userInfoJson) {}

    /**
     * {@code full}: a presence channel at its member limit refused a new user (nothing changed). {@code occupied}:
     * the first subscriber anywhere. {@code newMember}: the user's first socket in the channel anywhere. {@code roster}:
     * user id → user_info JSON of every member on every node, presence only (else null).
     *
     * <p>Presence only: {@code position} is the join's place in the channel's membership order, decided in the same
     * step as the roster: the roster holds every membership change at or below it and none above it, and a new
     * member's member_added is at it ({@code Frame.UNORDERED}, 0, when decided outside the order: a node cut off).
     * {@code announced}: the state has already published the member_added to every node, this one included, in the
     * channel's order; the broker delivers it here in that order, so the engine does not (a delivery from the answer
     * could overtake another node's earlier change still on its way). {@code vacancyCancelled} / {@code removalCancelled}:
     * the occupancy / new member found the channel's vacancy / the member's removal still held ({@link #leave}) and
     * cancelled it in the same step: its webhook never went out, so this one is not sent either.
     */
    record Joined(boolean full, boolean occupied, boolean newMember, int subscriptionCount,
                  Map<String, String> roster, long position, boolean announced, boolean vacancyCancelled,
                  boolean removalCancelled) {
        /** Decided outside the membership order, nothing announced. */
        public Joined(boolean full, boolean occupied, boolean newMember, int subscriptionCount,
                      Map<String, String> roster) {
            this(full, occupied, newMember, subscriptionCount, roster, 0, false);
        }

        /** No held leave found. */
        public Joined(boolean full, boolean occupied, boolean newMember, int subscriptionCount,
                      Map<String, String> roster, long position, boolean announced) {
            this(full, occupied, newMember, subscriptionCount, roster, position, announced, false, false);
        }

        public static Joined refused() {
            return new Joined(true, false, false, 0, null);
        }
    }

    /**
     * {@code vacated}: the last subscriber anywhere left; {@code memberRemoved}: the user's last socket in it, at
     * {@code position} in the membership order; {@code announced} as for {@link Joined}. {@code vacancyHeld} /
     * {@code removalHeld}: recorded as held in the same step ({@link #leave}); the webhook waits for
     * {@link HeldLeaves#confirmHeld}. Not held: its webhook goes out at once.
     */
    record Left(boolean vacated, boolean memberRemoved, int subscriptionCount, long position, boolean announced,
                boolean vacancyHeld, boolean removalHeld) {
        /** Decided outside the membership order, nothing announced. */
        public Left(boolean vacated, boolean memberRemoved, int subscriptionCount) {
            this(vacated, memberRemoved, subscriptionCount, 0, false);
        }

        /** Nothing held. */
        public Left(boolean vacated, boolean memberRemoved, int subscriptionCount, long position, boolean announced) {
            this(vacated, memberRemoved, subscriptionCount, position, announced, false, false);
        }
    }
}
