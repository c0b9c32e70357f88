package dev.switchboard.server.engine;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The state half of the cluster seam: every fact that decides a cluster-visible transition (first subscriber and
 * last leaver of a channel, first and last connection of a presence member and of a user, the connection quota)
 * and what the HTTP API reads. Each transition is decided here, atomically, once per cluster; the engine turns
 * the decisions it gets back into events, webhooks and counts, so each of those happens once.
 *
 * <p>Counts are per node underneath: each node reports only its own sockets, so a node that dies or loses its
 * store can be taken out (or written back) without asking anyone. Writes ({@code join}, {@code leave},
 * {@code signIn}, {@code signOut}, {@code reserveConnection}, {@code releaseConnection}) never fail: when the
 * shared store is unreachable an implementation decides from this node's own state and writes it back later.
 * Queries may fail (the HTTP API answers 503 then). Stages may complete on any thread.
 */
public interface SharedState extends AutoCloseable {

    /** Called once, before any other method, with where transitions decided outside a call go (a dead node). */
    void start(Transitions transitions);

    // ------------------------------------------------------------------ connections

    /** Takes a slot under the app's connection quota, counted over the cluster; false when full. max < 0: none. */
    CompletionStage<Boolean> reserveConnection(String appId, int max);

    void releaseConnection(String appId);

    // ------------------------------------------------------------------ channels

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
     * {@link #confirmHeld} still finds it (docs/webhooks.md). The record is kept at least {@code holdMillis}.
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

    // ------------------------------------------------------------------ users

    /**
     * A connection of this node signs in; {@code channels} are those it already subscribes to. {@code repeat}: the
     * connection was already signed in as this user (user_info and watchlist are replaced, nothing is counted).
     */
    default CompletionStage<SignedIn> signIn(String appId, String userId, String userInfoJson, List<String> watchlist,
                                             Collection<String> channels, boolean repeat) {
        return signIn(appId, userId, userInfoJson, watchlist, channels, repeat, -1);
    }

    /**
     * As above, with at most {@code maxConnections} signed-in connections per user over the cluster (-1: no limit).
     * A new connection past it is refused ({@link SignedIn#refused()}) and changes nothing: the user's connections
     * already signed in keep their place, decided in the same step that counts them.
     */
    CompletionStage<SignedIn> signIn(String appId, String userId, String userInfoJson, List<String> watchlist,
                                     Collection<String> channels, boolean repeat, int maxConnections);

    /** A signed-in connection of this node goes; {@code channels} are those it still subscribes to. Nothing held. */
    default CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels) {
        return signOut(appId, userId, channels, 0);
    }

    /** As above; {@code holdMillis} &gt; 0: going offline is recorded as held, as for {@link #leave}. */
    CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels, long holdMillis);

    // ------------------------------------------------------------------ held leaves (webhooks)

    /** What a held leave is: a channel's vacancy, a member's removal from a channel, a user going offline. */
    enum Hold { VACANCY, REMOVAL, OFFLINE }

    /**
     * The end of a leave's hold, asked by the node whose leave recorded it: true, and the record gone, when no
     * return cancelled it meanwhile (nor a later leave of another node took it over): then, and only then, its
     * webhook is sent. {@code channel} is null for {@link Hold#OFFLINE}, {@code userId} for {@link Hold#VACANCY}.
     */
    CompletionStage<Boolean> confirmHeld(String appId, Hold hold, String channel, String userId);

    /** Which of these users have a signed-in connection anywhere. */
    CompletionStage<Set<String>> online(String appId, Collection<String> userIds);

    /** As {@link #online}, with the positions a watcher reading it at sign-in needs ({@link OnlineNow}). */
    default CompletionStage<OnlineNow> onlineNow(String appId, Collection<String> userIds) {
        return online(appId, userIds).thenApply(online -> new OnlineNow(online, Map.of()));
    }

    /** Null when nothing is held about the user. */
    CompletionStage<UserSnapshot> user(String appId, String userId);

    CompletionStage<UserPage> users(String appId, String cursor, int limit);

    /** The user_info held for the user, null when none. */
    CompletionStage<String> userInfo(String appId, String userId);

    /** Replaces the user_info of an online user; false when the user is not online. */
    CompletionStage<Boolean> updateUserInfo(String appId, String userId, String userInfoJson);

    /**
     * The user inbox (docs/users.md): keeps {@code event} for the user when no connection of it is signed in
     * anywhere, decided atomically with sign-ins, so that every event is either delivered live or kept, never both.
     * Not kept: the caller publishes it live. Past {@code maxEvents} the oldest kept events are dropped.
     */
    CompletionStage<Keep> keepIfOffline(String appId, String userId, KeptEvent event, int maxEvents);

    /** The unexpired events kept for the user, oldest first ({@code events} only when asked for). */
    CompletionStage<Inbox> inbox(String appId, String userId, boolean withEvents);

    /** Empties the user's inbox; answers how many unexpired events it held. */
    CompletionStage<Integer> clearInbox(String appId, String userId);

    /**
     * Erases what is held about the user everywhere (entry, watchlist, its place in others' watchlists, its inbox),
     * at once,
     * so the closing sockets find nothing; their later {@link #signOut}s then decide nothing. Null when unknown.
     * The caller terminates the connections and tells the watchers.
     */
    CompletionStage<UserErasure> eraseUser(String appId, String userId);

    @Override
    void close();

    // ------------------------------------------------------------------ results

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
     * {@link #confirmHeld}. Not held: its webhook goes out at once.
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

    /**
     * {@code cameOnline}: the user's first signed-in connection anywhere. {@code missed}: what its inbox kept, oldest
     * first, now handed to this connection and removed (only when it came online); {@code expired}: kept events
     * found past their time and dropped. {@code offlineCancelled}: coming online cancelled the user's held going
     * offline (as {@link Joined#removalCancelled()}).
     *
     * <p>Coming online only: {@code position} is its place in the user's own order of online/offline changes
     * (increasing over the user's successive lives; {@code Frame.UNORDERED}, 0, when decided outside it), which a
     * watcher uses to drop a change older than what it holds (docs/cluster.md, "Watchlists: one order per user").
     * {@code announced}: the state has already published the online to the user's watchers, on every node, this one
     * included, in the user's order; the engine does not.
     */
    record SignedIn(boolean cameOnline, List<KeptEvent> missed, int expired, boolean refused,
                    boolean offlineCancelled, long position, boolean announced) {
        public SignedIn {
            missed = missed == null ? List.of() : List.copyOf(missed);
        }

        /** Decided outside the user's order, nothing announced. */
        public SignedIn(boolean cameOnline, List<KeptEvent> missed, int expired, boolean refused,
                        boolean offlineCancelled) {
            this(cameOnline, missed, expired, refused, offlineCancelled, 0, false);
        }

        public SignedIn(boolean cameOnline, List<KeptEvent> missed, int expired, boolean refused) {
            this(cameOnline, missed, expired, refused, false);
        }

        public SignedIn(boolean cameOnline, List<KeptEvent> missed, int expired) {
            this(cameOnline, missed, expired, false);
        }

        public SignedIn(boolean cameOnline) {
            this(cameOnline, List.of(), 0, false);
        }

        /** Past the user's connection limit: nothing changed. */
        public static SignedIn refusal() {
            return new SignedIn(false, List.of(), 0, true);
        }
    }

    /** An event sent to a user while it had no signed-in connection: its name, data text and times. */
    record KeptEvent(String event, String data, long sentAtMillis, long expiresAtMillis) {}

    /** {@code kept}: the user was offline and the event waits; {@code dropped}: older ones pushed out for room. */
    record Keep(boolean kept, int dropped) {}

    /** A user's inbox: how many events, the send times of the oldest and newest (null when empty). */
    record Inbox(int count, Long oldestMillis, Long newestMillis, List<KeptEvent> events) {

        /** The inbox answer for these unexpired events, oldest first; {@code events} only when asked for. */
        public static Inbox of(List<KeptEvent> live, boolean withEvents) {
            if (live.isEmpty()) {
                return new Inbox(0, null, null, withEvents ? List.of() : null);
            }
            return new Inbox(live.size(), live.get(0).sentAtMillis(), live.get(live.size() - 1).sentAtMillis(),
                    withEvents ? List.copyOf(live) : null);
        }
    }

    /**
     * {@code wentOffline}: the user's last signed-in connection anywhere went; {@code held} as in {@link Left};
     * {@code position} and {@code announced} as in {@link SignedIn}.
     */
    record SignedOut(boolean wentOffline, boolean held, long position, boolean announced) {
        /** Decided outside the user's order, nothing announced. */
        public SignedOut(boolean wentOffline, boolean held) {
            this(wentOffline, held, 0, false);
        }

        public SignedOut(boolean wentOffline) {
            this(wentOffline, false);
        }
    }

    /**
     * Which of {@code userIds} are online, and for each the position in its own order up to which that answer holds
     * (an online/offline change at or below it is already in the answer): a watcher that reads this at sign-in drops
     * a change at or below it that reaches it afterwards. 0 where the store does not say: its announcements then
     * reach a node in the order decided, after any change the answer holds.
     */
    record OnlineNow(Set<String> online, Map<String, Long> positions) {
        public long position(String userId) {
            Long p = positions.get(userId);
            return p == null ? 0 : p;
        }
    }

    /**
     * Transitions decided outside a call of this node, e.g. when another node's lease expired and this node removed
     * its sockets. The engine emits the same events, webhooks and counts as for its own leaves.
     */
    interface Transitions {
        /** A member removed outside the membership order; nobody was told yet. */
        void memberRemoved(String appId, String channel, String userId);

        /**
         * A member removed at {@code position} in the channel's membership order, already published by the state to
         * every node, this one included (its broker delivers it to its sockets in the channel's order): this node
         * tells the webhooks.
         */
        default void memberRemoved(String appId, String channel, String userId, long position) {
            memberRemoved(appId, channel, userId);
        }

        void channelVacated(String appId, String channel);

        void subscriptionCountChanged(String appId, String channel, int count);

        void userOffline(String appId, String userId);

        /**
         * A user gone offline at {@code position} in its own order, already announced by the state to its watchers on
         * every node, this one included: this node tells the webhooks.
         */
        default void userOffline(String appId, String userId, long position) {
            userOffline(appId, userId);
        }

        /**
         * The cluster declared this node dead while it was cut off, and told everyone its members left: every
         * local connection is closed with 4200, so that its client reconnects at once and rejoins through the
         * normal path (and everyone is told it is back) instead of keeping rosters the cluster no longer agrees with.
         */
        void reconnectAll();
    }
}
