package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.LocalFacts.done;

import dev.switchboard.server.cluster.LocalFacts.App;
import dev.switchboard.server.cluster.LocalFacts.User;
import dev.switchboard.server.engine.HeldLeaves.Hold;
import dev.switchboard.server.engine.Inboxes.KeptEvent;
import dev.switchboard.server.engine.OnlineUsers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The one-node {@link OnlineUsers}: sign-ins in this process's memory, every stage already complete. Coming online
 * is decided inside the user's compute, in the same step as the hand-over of its inbox ({@link LocalInbox}) and the
 * cancel of its held going offline ({@link LocalHolds}).
 */
final class LocalOnlineUsers implements OnlineUsers {
    private final LocalFacts facts;

    LocalOnlineUsers(LocalFacts facts) {
        this.facts = facts;
    }

    @Override
    public CompletionStage<SignedIn> signIn(String appId, String userId, String userInfoJson, List<String> watchlist,
                                            Collection<String> channels, boolean repeat, int maxConnections) {
        App app = facts.app(appId);
        boolean[] first = new boolean[1];
        boolean[] refused = new boolean[1];
        boolean[] cancelled = new boolean[1];
        List<String>[] previous = newListHolder();
        List<KeptEvent> missed = new ArrayList<>();
        int[] expired = new int[1];
        long[] position = new long[1];
        long[] banned = new long[1];
        app.users.compute(userId, (k, u) -> {
            banned[0] = app.bannedUntil(k, facts.clock.getAsLong());
            if (banned[0] > 0) {
                return u;
            }
            boolean counts = !repeat || u == null || u.connections == 0;
            if (counts && maxConnections >= 0 && u != null && u.connections >= maxConnections) {
                refused[0] = true;
                return u;
            }
            if (u == null) {
                u = new User();
            }
            previous[0] = u.watchlist;
            if (!repeat || u.connections == 0) {
                first[0] = u.connections == 0;
                u.connections++;
                for (String ch : channels) {
                    u.channels.merge(ch, 1, Integer::sum);
                }
            }
            if (first[0]) {
                position[0] = app.positions.incrementAndGet();
                expired[0] = app.inbox.take(k, missed);
                cancelled[0] = app.holds.take(LocalHolds.key(Hold.OFFLINE, null, k));
            }
            u.userInfoJson = userInfoJson;
            u.watchlist = List.copyOf(watchlist);
            return u;
        });
        if (banned[0] > 0) {
            return done(SignedIn.banned(banned[0]));
        }
        if (refused[0]) {
            return done(SignedIn.refusal());
        }
        app.reindexWatchlist(userId, previous[0], watchlist);
        return done(new SignedIn(first[0], missed, expired[0], false, cancelled[0], position[0], false));
    }

    @Override
    public CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels,
                                              long holdMillis) {
        App app = facts.app(appId);
        boolean[] last = new boolean[1];
        long[] position = new long[1];
        List<String>[] watchlist = newListHolder();
        app.users.computeIfPresent(userId, (k, u) -> {
            for (String ch : channels) {
                u.channels.merge(ch, -1, (a, b) -> a + b <= 0 ? null : a + b);
            }
            if (--u.connections > 0) {
                return u;
            }
            last[0] = true;
            position[0] = app.positions.incrementAndGet();
            watchlist[0] = u.watchlist;
            if (holdMillis > 0) {
                app.holds.hold(LocalHolds.key(Hold.OFFLINE, null, k), holdMillis);
            }
            return null;
        });
        if (last[0]) {
            app.reindexWatchlist(userId, watchlist[0], List.of());
        }
        return done(new SignedOut(last[0], last[0] && holdMillis > 0, position[0], false));
    }

    @Override
    public CompletionStage<Set<String>> online(String appId, Collection<String> userIds) {
        App app = facts.app(appId);
        Set<String> out = new LinkedHashSet<>();
        for (String id : userIds) {
            if (app.users.containsKey(id)) {
                out.add(id);
            }
        }
        return done(out);
    }

    /**
     * Each user read inside its own compute, with the app's position counter as it stands there: every online/offline
     * change of that user so far is at or below it and in the answer, every later one above it.
     */
    @Override
    public CompletionStage<OnlineNow> onlineNow(String appId, Collection<String> userIds) {
        App app = facts.app(appId);
        Set<String> online = new LinkedHashSet<>();
        Map<String, Long> positions = new HashMap<>();
        for (String id : userIds) {
            app.users.compute(id, (k, u) -> {
                positions.put(k, app.positions.get());
                if (u != null) {
                    online.add(k);
                }
                return u;
            });
        }
        return done(new OnlineNow(online, positions));
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newListHolder() {
        return (List<String>[]) new List[1];
    }
}
