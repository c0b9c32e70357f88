package dev.switchboard.server.cluster;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.engine.ConnectionQuota;
import dev.switchboard.server.engine.HeldLeaves;
import dev.switchboard.server.engine.Inboxes;
import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.UserData;
import dev.switchboard.server.engine.HeldLeaves.Hold;
import dev.switchboard.server.engine.UserErasure;
import dev.switchboard.server.engine.UserPage;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The one-node {@link SharedState}: every fact in this process's memory, every stage already complete. Each
 * transition is decided inside a {@code ConcurrentHashMap.compute} on the channel or user it concerns, so two
 * event loops racing on one channel get one occupied and one member_added between them. Also usable as a node's
 * own mirror of what it contributes to a shared store.
 */
public final class LocalState implements SharedState, ChannelState, OnlineUsers, UserData, Inboxes,
        ConnectionQuota, HeldLeaves {
    private final LongSupplier clock;
    private final Map<String, App> apps = new ConcurrentHashMap<>();

    public LocalState(LongSupplier clock) {
        this.clock = clock;
    }

    /** One app's facts. */
    private static final class App {
        final AtomicInteger connections = new AtomicInteger();
        final ConcurrentHashMap<String, Chan> channels = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();
        /** watched user id → the users whose watchlist holds it. */
        final ConcurrentHashMap<String, Set<String>> watchers = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, CachedEvent> caches = new ConcurrentHashMap<>();
        /**
         * The membership order of every presence channel of the app, and the online/offline order of every user: one
         * counter for all of them, moved only inside a channel's (or user's) compute, so each channel's and user's
         * changes get increasing positions, and a channel vacated and occupied again (a user gone and back) continues
         * above its old ones (an event of its old life still on its way is then never news).
         */
        final AtomicLong positions = new AtomicLong();
        /** Touched only inside {@code users.compute} for the same user id (see {@link LocalInbox}). */
        final LocalInbox inbox;
        /** Touched only inside the compute of the channel or user a hold concerns. */
        final LocalHolds holds;

        App(LongSupplier clock) {
            inbox = new LocalInbox(clock);
            holds = new LocalHolds(clock);
        }
    }

    /** A channel with subscribers: how many sockets, and for presence the members in join order. */
    private static final class Chan {
        int subscriptions;
        final LinkedHashMap<String, Held> members;

        Chan(boolean presence) {
            members = presence ? new LinkedHashMap<>() : null;
        }
    }

    private static final class Held {
        final String userInfoJson;
        int sockets;

        Held(String userInfoJson) {
            this.userInfoJson = userInfoJson;
        }
    }

    /** A signed-in user: its connections, what it signed in with, the channels its connections subscribe to. */
    private static final class User {
        int connections;
        volatile String userInfoJson;
        volatile List<String> watchlist = List.of();
        final Map<String, Integer> channels = new HashMap<>();
    }

    private App app(String appId) {
        return apps.computeIfAbsent(appId, k -> new App(clock));
    }

    @Override
    public void start(Transitions transitions) {
        // Alone, nothing is decided outside a call.
    }

    // ------------------------------------------------------------------ the ports (all this object, for now)

    @Override
    public ChannelState channels() {
        return this;
    }

    @Override
    public OnlineUsers users() {
        return this;
    }

    @Override
    public UserData userData() {
        return this;
    }

    @Override
    public Inboxes inboxes() {
        return this;
    }

    @Override
    public ConnectionQuota quota() {
        return this;
    }

    @Override
    public HeldLeaves heldLeaves() {
        return this;
    }

    // ------------------------------------------------------------------ connections

    @Override
    public CompletionStage<Boolean> reserveConnection(String appId, int max) {
        AtomicInteger n = app(appId).connections;
        int now = n.incrementAndGet();
        if (max >= 0 && now > max) {
            n.decrementAndGet();
            return done(false);
        }
        return done(true);
    }

    @Override
    public void releaseConnection(String appId) {
        app(appId).connections.decrementAndGet();
    }

    /** Connections this node holds for the app (its contribution to the quota). */
    public int connectionCount(String appId) {
        return app(appId).connections.get();
    }

    // ------------------------------------------------------------------ channels

    @Override
    public CompletionStage<Joined> join(String appId, String channel, Member member, String signedInUserId,
                                        int maxMembers) {
        App app = app(appId);
        Joined[] result = new Joined[1];
        app.channels.compute(channel, (k, ch) -> {
            boolean created = ch == null;
            if (created) {
                ch = new Chan(member != null);
            }
            boolean newMember = false;
            boolean removalCancelled = false;
            if (member != null && ch.members != null) {
                Held m = ch.members.get(member.userId());
                if (m == null) {
                    if (ch.members.size() >= maxMembers) {
                        result[0] = Joined.refused();
                        return created ? null : ch;
                    }
                    m = new Held(member.userInfoJson());
                    ch.members.put(member.userId(), m);
                    newMember = true;
                    app.positions.incrementAndGet();
                    removalCancelled = app.holds.take(LocalHolds.key(Hold.REMOVAL, channel, member.userId()));
                }
                m.sockets++;
            }
            ch.subscriptions++;
            boolean vacancyCancelled = created && app.holds.take(LocalHolds.key(Hold.VACANCY, channel, null));
            result[0] = new Joined(false, created, newMember, ch.subscriptions, member == null ? null : roster(ch),
                    member == null ? 0 : app.positions.get(), false, vacancyCancelled, removalCancelled);
            return ch;
        });
        if (!result[0].full() && signedInUserId != null) {
            userChannel(app, signedInUserId, channel, 1);
        }
        return done(result[0]);
    }

    private static Map<String, String> roster(Chan ch) {
        Map<String, String> roster = new LinkedHashMap<>();
        ch.members.forEach((id, m) -> roster.put(id, m.userInfoJson));
        return roster;
    }

    @Override
    public CompletionStage<Left> leave(String appId, String channel, String memberId, String signedInUserId,
                                       long holdMillis) {
        App app = app(appId);
        Left[] result = {new Left(false, false, 0)};
        app.channels.computeIfPresent(channel, (k, ch) -> {
            long position = 0;
            if (memberId != null && ch.members != null) {
                Held m = ch.members.get(memberId);
                if (m != null && --m.sockets == 0) {
                    ch.members.remove(memberId);
                    position = app.positions.incrementAndGet();
                }
            }
            ch.subscriptions--;
            boolean vacated = ch.subscriptions <= 0;
            boolean hold = holdMillis > 0;
            if (hold && position > 0) {
                app.holds.hold(LocalHolds.key(Hold.REMOVAL, channel, memberId), holdMillis);
            }
            if (hold && vacated) {
                app.holds.hold(LocalHolds.key(Hold.VACANCY, channel, null), holdMillis);
            }
            result[0] = new Left(vacated, position > 0, Math.max(0, ch.subscriptions), position, false,
                    hold && vacated, hold && position > 0);
            return vacated ? null : ch;
        });
        if (signedInUserId != null) {
            userChannel(app, signedInUserId, channel, -1);
        }
        return done(result[0]);
    }

    private static void userChannel(App app, String userId, String channel, int delta) {
        app.users.computeIfPresent(userId, (k, u) -> {
            u.channels.merge(channel, delta, (a, b) -> a + b <= 0 ? null : a + b);
            return u;
        });
    }

    @Override
    public CompletionStage<ChannelStats> channel(String appId, String channel) {
        App app = app(appId);
        boolean presence = ChannelName.of(channel).isPresence();
        CachedEvent cache = ChannelName.of(channel).cache() ? cached(app, channel) : null;
        ChannelStats[] stats = {new ChannelStats(false, 0, presence ? 0 : -1, cache)};
        app.channels.computeIfPresent(channel, (k, ch) -> {
            stats[0] = new ChannelStats(true, ch.subscriptions, ch.members == null ? -1 : ch.members.size(), cache);
            return ch;
        });
        return done(stats[0]);
    }

    @Override
    public CompletionStage<Map<String, ChannelStats>> channels(String appId, String prefix) {
        Map<String, ChannelStats> out = new TreeMap<>();
        App app = app(appId);
        for (String name : app.channels.keySet()) {
            if (name.startsWith(ChannelName.SERVER_TO_USER_PREFIX) || (prefix != null && !name.startsWith(prefix))) {
                continue;
            }
            app.channels.computeIfPresent(name, (k, ch) -> {
                out.put(name, new ChannelStats(true, ch.subscriptions, ch.members == null ? -1 : ch.members.size(),
                        null));
                return ch;
            });
        }
        return done(out);
    }

    @Override
    public CompletionStage<List<String>> members(String appId, String channel) {
        List<String> ids = new ArrayList<>();
        app(appId).channels.computeIfPresent(channel, (k, ch) -> {
            if (ch.members != null) {
                ids.addAll(ch.members.keySet());
            }
            return ch;
        });
        return done(ids);
    }

    @Override
    public void cachePut(String appId, String channel, CachedEvent event) {
        app(appId).caches.put(channel, event);
    }

    @Override
    public CompletionStage<CachedEvent> cacheGet(String appId, String channel) {
        return done(cached(app(appId), channel));
    }

    private CachedEvent cached(App app, String channel) {
        CachedEvent e = app.caches.get(channel);
        if (e != null && e.expiresAtMillis() <= clock.getAsLong()) {
            app.caches.remove(channel, e);
            return null;
        }
        return e;
    }

    // ------------------------------------------------------------------ users

    @Override
    public CompletionStage<SignedIn> signIn(String appId, String userId, String userInfoJson, List<String> watchlist,
                                            Collection<String> channels, boolean repeat, int maxConnections) {
        App app = app(appId);
        boolean[] first = new boolean[1];
        boolean[] refused = new boolean[1];
        boolean[] cancelled = new boolean[1];
        List<String>[] previous = newListHolder();
        List<KeptEvent> missed = new ArrayList<>();
        int[] expired = new int[1];
        long[] position = new long[1];
        app.users.compute(userId, (k, u) -> {
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
        if (refused[0]) {
            return done(SignedIn.refusal());
        }
        reindexWatchlist(app, userId, previous[0], watchlist);
        return done(new SignedIn(first[0], missed, expired[0], false, cancelled[0], position[0], false));
    }

    @Override
    public CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels,
                                              long holdMillis) {
        App app = app(appId);
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
            reindexWatchlist(app, userId, watchlist[0], List.of());
        }
        return done(new SignedOut(last[0], last[0] && holdMillis > 0, position[0], false));
    }

    @Override
    public CompletionStage<Boolean> confirmHeld(String appId, Hold hold, String channel, String userId) {
        App app = app(appId);
        String key = LocalHolds.key(hold, channel, userId);
        boolean[] found = new boolean[1];
        if (hold == Hold.OFFLINE) {
            app.users.compute(userId, (k, u) -> {
                found[0] = app.holds.take(key);
                return u;
            });
        } else {
            app.channels.compute(channel, (k, ch) -> {
                found[0] = app.holds.take(key);
                return ch;
            });
        }
        return done(found[0]);
    }

    /** Keeps the watched → watchers index in step with one watcher's list. */
    private static void reindexWatchlist(App app, String watcher, List<String> previous, List<String> current) {
        for (String id : previous) {
            if (!current.contains(id)) {
                app.watchers.computeIfPresent(id, (k, set) -> {
                    set.remove(watcher);
                    return set.isEmpty() ? null : set;
                });
            }
        }
        for (String id : current) {
            app.watchers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(watcher);
        }
    }

    @Override
    public CompletionStage<Set<String>> online(String appId, Collection<String> userIds) {
        App app = app(appId);
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
        App app = app(appId);
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

    @Override
    public CompletionStage<UserSnapshot> user(String appId, String userId) {
        UserSnapshot[] snap = new UserSnapshot[1];
        app(appId).users.computeIfPresent(userId, (k, u) -> {
            snap[0] = new UserSnapshot(userId, u.connections > 0, u.connections, u.userInfoJson, u.watchlist,
                    List.copyOf(new TreeSet<>(u.channels.keySet())));
            return u;
        });
        int kept = inbox(appId, userId, false).toCompletableFuture().join().count();
        if (snap[0] == null) {
            // An offline user is known only through what waits for it.
            return done(kept == 0 ? null : new UserSnapshot(userId, false, 0, null, List.of(), List.of(), kept));
        }
        return done(snap[0].withInboxCount(kept));
    }

    @Override
    public CompletionStage<UserPage> users(String appId, String cursor, int limit) {
        return done(UserPage.of(new ArrayList<>(new TreeSet<>(app(appId).users.keySet())), cursor, limit));
    }

    @Override
    public CompletionStage<String> userInfo(String appId, String userId) {
        User u = app(appId).users.get(userId);
        return done(u == null ? null : u.userInfoJson);
    }

    @Override
    public CompletionStage<Boolean> updateUserInfo(String appId, String userId, String userInfoJson) {
        boolean[] found = new boolean[1];
        app(appId).users.computeIfPresent(userId, (k, u) -> {
            u.userInfoJson = userInfoJson;
            found[0] = true;
            return u;
        });
        return done(found[0]);
    }

    // ------------------------------------------------------------------ inbox

    @Override
    public CompletionStage<Keep> keepIfOffline(String appId, String userId, KeptEvent event, int maxEvents) {
        App app = app(appId);
        Keep[] result = new Keep[1];
        app.users.compute(userId, (k, u) -> {
            if (u != null && u.connections > 0) {
                result[0] = new Keep(false, 0);
                return u;
            }
            int dropped = app.inbox.keep(k, event, maxEvents);
            result[0] = new Keep(true, dropped);
            return u;
        });
        return done(result[0]);
    }

    @Override
    public CompletionStage<Inbox> inbox(String appId, String userId, boolean withEvents) {
        App app = app(appId);
        List<KeptEvent> live = new ArrayList<>();
        app.users.compute(userId, (k, u) -> {
            live.addAll(app.inbox.read(k));
            return u;
        });
        return done(Inbox.of(live, withEvents));
    }

    @Override
    public CompletionStage<Integer> clearInbox(String appId, String userId) {
        App app = app(appId);
        List<KeptEvent> live = new ArrayList<>();
        app.users.compute(userId, (k, u) -> {
            app.inbox.take(k, live);
            return u;
        });
        return done(live.size());
    }

    @Override
    public CompletionStage<UserErasure> eraseUser(String appId, String userId) {
        App app = app(appId);
        User u = app.users.remove(userId);
        int inboxErased = clearInbox(appId, userId).toCompletableFuture().join();
        if (u == null) {
            return done(inboxErased == 0 ? null
                    : new UserErasure(userId, 0, List.of(), false, 0, 0, inboxErased));
        }
        List<String> presence = new ArrayList<>();
        for (String ch : new TreeSet<>(u.channels.keySet())) {
            if (ChannelName.of(ch).isPresence()) {
                presence.add(ch);
            }
        }
        reindexWatchlist(app, userId, u.watchlist, List.of());
        Set<String> watchers = app.watchers.remove(userId);
        int dropped = 0;
        if (watchers != null) {
            for (String watcher : watchers) {
                boolean[] changed = new boolean[1];
                app.users.computeIfPresent(watcher, (k, w) -> {
                    List<String> kept = new ArrayList<>(w.watchlist);
                    changed[0] = kept.remove(userId);
                    w.watchlist = List.copyOf(kept);
                    return w;
                });
                if (changed[0]) {
                    dropped++;
                }
            }
        }
        return done(new UserErasure(userId, u.connections, List.copyOf(presence), u.userInfoJson != null,
                u.watchlist.size(), dropped, inboxErased));
    }

    @Override
    public void close() {}

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newListHolder() {
        return (List<String>[]) new List[1];
    }
}
