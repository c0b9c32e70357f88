package dev.switchboard.server.engine;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Users online over the cluster: sign-in and sign-out of this node's connections, each first sign-in and last
 * sign-out of a user decided here once per cluster (with the user's connection limit and its held going offline),
 * and which users are online, with the positions of their own order that a watcher needs at sign-in
 * (docs/cluster.md, "Watchlists: one order per user"). Writes never fail (see {@link SharedState}); reads may.
 */
public interface OnlineUsers {

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
     * already signed in keep their place, decided in the same step that counts them. Coming online hands over what
     * the user's inbox kept ({@link Inboxes}), in the same step. A user {@link Bans banned} is refused in that step
     * too ({@link SignedIn#bannedUntilMs()}), whatever it already holds.
     */
    CompletionStage<SignedIn> signIn(String appId, String userId, String userInfoJson, List<String> watchlist,
                                     Collection<String> channels, boolean repeat, int maxConnections);

    /** A signed-in connection of this node goes; {@code channels} are those it still subscribes to. Nothing held. */
    default CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels) {
        return signOut(appId, userId, channels, 0);
    }

    /**
     * As above; {@code holdMillis} &gt; 0: going offline is recorded as held, as for {@link ChannelState#leave}
     * ({@link HeldLeaves}).
     */
    CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels, long holdMillis);

    /** Which of these users have a signed-in connection anywhere. */
    CompletionStage<Set<String>> online(String appId, Collection<String> userIds);

    /** As {@link #online}, with the positions a watcher reading it at sign-in needs ({@link OnlineNow}). */
    default CompletionStage<OnlineNow> onlineNow(String appId, Collection<String> userIds) {
        return online(appId, userIds).thenApply(online -> new OnlineNow(online, Map.of()));
    }

    /**
     * {@code cameOnline}: the user's first signed-in connection anywhere. {@code missed}: what its inbox kept, oldest
     * first, now handed to this connection and removed (only when it came online); {@code expired}: kept events
     * found past their time and dropped. {@code offlineCancelled}: coming online cancelled the user's held going
     * offline (as {@link ChannelState.Joined#removalCancelled()}).
     *
     * <p>Coming online only: {@code position} is its place in the user's own order of online/offline changes
     * (increasing over the user's successive lives; {@code Frame.UNORDERED}, 0, when decided outside it), which a
     * watcher uses to drop a change older than what it holds (docs/cluster.md, "Watchlists: one order per user").
     * {@code announced}: the state has already published the online to the user's watchers, on every node, this one
     * included, in the user's order; the engine does not.
     *
     * <p>{@code bannedUntilMs} &gt; 0: refused because the user is banned until then ({@link Bans}); nothing changed.
     */
    record SignedIn(boolean cameOnline, List<Inboxes.KeptEvent> missed, int expired, boolean refused,
                    boolean offlineCancelled, long position, boolean announced, long bannedUntilMs) {
        public SignedIn {
            missed = missed == null ? List.of() : List.copyOf(missed);
        }

        public SignedIn(boolean cameOnline, List<Inboxes.KeptEvent> missed, int expired, boolean refused,
                        boolean offlineCancelled, long position, boolean announced) {
            this(cameOnline, missed, expired, refused, offlineCancelled, position, announced, 0);
        }

        /** Decided outside the user's order, nothing announced. */
        public SignedIn(boolean cameOnline, List<Inboxes.KeptEvent> missed, int expired, boolean refused,
                        boolean offlineCancelled) {
            this(cameOnline, missed, expired, refused, offlineCancelled, 0, false);
        }

        public SignedIn(boolean cameOnline, List<Inboxes.KeptEvent> missed, int expired, boolean refused) {
            this(cameOnline, missed, expired, refused, false);
        }

        public SignedIn(boolean cameOnline, List<Inboxes.KeptEvent> missed, int expired) {
            this(cameOnline, missed, expired, false);
        }

        public SignedIn(boolean cameOnline) {
            this(cameOnline, List.of(), 0, false);
        }

        /** Past the user's connection limit: nothing changed. */
        public static SignedIn refusal() {
            return new SignedIn(false, List.of(), 0, true);
        }

        /** The user is banned until {@code untilMs}: nothing changed. */
        public static SignedIn banned(long untilMs) {
            return new SignedIn(false, List.of(), 0, true, false, 0, false, untilMs);
        }
    }

    /**
     * {@code wentOffline}: the user's last signed-in connection anywhere went; {@code held} as in {@link ChannelState.Left};
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
}
