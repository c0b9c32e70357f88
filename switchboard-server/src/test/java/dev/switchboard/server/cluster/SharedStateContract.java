package dev.switchboard.server.cluster;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.Inboxes;
import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.ChannelState.Joined;
import dev.switchboard.server.engine.ChannelState.Left;
import dev.switchboard.server.engine.ChannelState.Member;
import dev.switchboard.server.engine.UserErasure;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SharedState} must do, run against each implementation. Two "nodes" {@link #a} and {@link #b}:
 * two instances sharing one store where the implementation is clustered, the same instance where it is the
 * one-node case — either way each transition must be decided exactly once.
 */
public abstract class SharedStateContract implements HeldLeavesContract {
    protected static final String APP = "app-1";

    /** Node A's and node B's state (the same object for a one-node implementation), started. */
    protected SharedState a;
    protected SharedState b;
    protected final RecordedTransitions transitionsA = new RecordedTransitions();
    protected final RecordedTransitions transitionsB = new RecordedTransitions();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @Override
    public SharedState nodeA() {
        return a;
    }

    @Override
    public SharedState nodeB() {
        return b;
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the calls concurrently from a pool and waits for all their stages. */
    private <T> List<T> concurrently(List<Supplier<CompletionStage<T>>> calls) {
        List<CompletableFuture<T>> started = new ArrayList<>();
        for (Supplier<CompletionStage<T>> call : calls) {
            started.add(CompletableFuture.supplyAsync(call, pool).thenCompose(s -> s));
        }
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> f : started) {
            out.add(await(f));
        }
        return out;
    }

    @Test
    void concurrentJoinsAndLeavesOnTwoNodesDecideEachTransitionOnce() {
        String ch = "presence-room";
        List<Supplier<CompletionStage<Joined>>> joins = new ArrayList<>();
        int perUser = 5;
        List<String> users = List.of("u1", "u2", "u3", "u4");
        for (String u : users) {
            for (int i = 0; i < perUser; i++) {
                SharedState node = i % 2 == 0 ? a : b;
                joins.add(() -> node.channels().join(APP, ch, new Member(u, "{\"n\":\"" + u + "\"}"), null, 100));
            }
        }
        List<Joined> joined = concurrently(joins);
        assertThat(joined).noneMatch(Joined::full);
        assertThat(joined.stream().filter(Joined::occupied)).hasSize(1);
        assertThat(joined.stream().filter(Joined::newMember)).hasSize(users.size());
        assertThat(joined.stream().mapToInt(Joined::subscriptionCount).max().getAsInt()).isEqualTo(20);
        assertThat(await(b.channels().channel(APP, ch))).isEqualTo(new ChannelStats(true, 20, 4, null));
        assertThat(await(a.channels().members(APP, ch))).containsExactlyInAnyOrderElementsOf(users);

        List<Supplier<CompletionStage<Left>>> leaves = new ArrayList<>();
        for (String u : users) {
            for (int i = 0; i < perUser; i++) {
                SharedState node = i % 2 == 0 ? a : b;
                leaves.add(() -> node.channels().leave(APP, ch, u, null));
            }
        }
        List<Left> left = concurrently(leaves);
        assertThat(left.stream().filter(Left::vacated)).hasSize(1);
        assertThat(left.stream().filter(Left::memberRemoved)).hasSize(users.size());
        assertThat(await(a.channels().channel(APP, ch))).isEqualTo(new ChannelStats(false, 0, 0, null));
        assertThat(await(b.channels().members(APP, ch))).isEmpty();
    }

    @Test
    void eachMembershipChangeTakesTheNextPositionAndARosterCoversExactlyTheChangesBeforeIt() {
        String ch = "presence-order";
        Joined ann = await(a.channels().join(APP, ch, new Member("ann", null), null, 100));
        Joined bob = await(b.channels().join(APP, ch, new Member("bob", null), null, 100));
        Joined annOnB = await(b.channels().join(APP, ch, new Member("ann", null), null, 100));
        Left bobLeft = await(b.channels().leave(APP, ch, "bob", null));
        Joined cid = await(a.channels().join(APP, ch, new Member("cid", null), null, 100));
        assertThat(ann.position()).isPositive();
        assertThat(bob.position()).isGreaterThan(ann.position());
        assertThat(annOnB.newMember()).isFalse();
        assertThat(annOnB.position()).isEqualTo(bob.position()); // nothing changed since bob's add
        assertThat(bobLeft.memberRemoved()).isTrue();
        assertThat(bobLeft.position()).isGreaterThan(bob.position());
        assertThat(cid.position()).isGreaterThan(bobLeft.position());

        await(b.channels().leave(APP, ch, "ann", null));
        await(a.channels().leave(APP, ch, "ann", null));
        assertThat(await(a.channels().leave(APP, ch, "cid", null)).vacated()).isTrue();
        // occupied again: its positions go on above the old ones, so an event of the old life is never news
        assertThat(await(b.channels().join(APP, ch, new Member("dan", null), null, 100)).position()).isGreaterThan(cid.position());
    }

    /**
     * Issue 20: a user's online and offline take increasing positions of its own order, and the state a watcher reads
     * at sign-in says up to which position it holds, so that the watcher drops a change at or below it that reaches it
     * afterwards (docs/cluster.md, "Watchlists: one order per user").
     */
    @Test
    void onlineAndOfflineTakeIncreasingPositionsAndTheReadSaysWhichItHolds() {
        OnlineUsers.SignedIn in = await(a.users().signIn(APP, "pos", null, List.of(), List.of(), false));
        assertThat(in.cameOnline()).isTrue();
        assertThat(in.position()).isPositive();
        OnlineUsers.OnlineNow now = await(b.users().onlineNow(APP, List.of("pos", "never")));
        assertThat(now.online()).containsExactly("pos");
        assertThat(now.position("pos")).isGreaterThanOrEqualTo(in.position());
        OnlineUsers.SignedOut out = await(a.users().signOut(APP, "pos", List.of()));
        assertThat(out.wentOffline()).isTrue();
        assertThat(out.position()).isGreaterThan(in.position());
        OnlineUsers.OnlineNow later = await(b.users().onlineNow(APP, List.of("pos")));
        assertThat(later.online()).isEmpty();
        assertThat(later.position("pos")).isGreaterThanOrEqualTo(out.position());
        OnlineUsers.SignedIn again = await(b.users().signIn(APP, "pos", null, List.of(), List.of(), false));
        assertThat(again.position()).isGreaterThan(out.position());
    }

    @Test
    void presenceLimitCountsEveryNode() {
        String ch = "presence-small";
        assertThat(await(a.channels().join(APP, ch, new Member("u1", null), null, 2)).full()).isFalse();
        assertThat(await(b.channels().join(APP, ch, new Member("u2", null), null, 2)).full()).isFalse();
        assertThat(await(a.channels().join(APP, ch, new Member("u3", null), null, 2)).full()).isTrue();
        Joined again = await(b.channels().join(APP, ch, new Member("u1", null), null, 2));
        assertThat(again.full()).isFalse();
        assertThat(again.newMember()).isFalse();
        assertThat(await(b.channels().channel(APP, ch)).userCount()).isEqualTo(2);
        assertThat(await(a.channels().channel(APP, ch)).subscriptionCount()).isEqualTo(3);
    }

    @Test
    void rosterListsTheMembersOfEveryNodeInJoinOrder() {
        String ch = "presence-roster";
        Joined first = await(a.channels().join(APP, ch, new Member("ann", "{\"name\":\"Ann\"}"), null, 100));
        assertThat(first.roster()).containsExactly(Map.entry("ann", "{\"name\":\"Ann\"}"));
        await(b.channels().join(APP, ch, new Member("bob", null), null, 100));
        Joined third = await(b.channels().join(APP, ch, new Member("cid", "{\"name\":\"Cid\"}"), null, 100));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ann", "{\"name\":\"Ann\"}");
        expected.put("bob", null);
        expected.put("cid", "{\"name\":\"Cid\"}");
        assertThat(new ArrayList<>(third.roster().entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
        assertThat(await(a.channels().members(APP, ch))).containsExactly("ann", "bob", "cid");
        Joined publicJoin = await(a.channels().join(APP, "public-x", null, null, 100));
        assertThat(publicJoin.roster()).isNull();
    }

    @Test
    void connectionQuotaCountsEveryNode() {
        assertThat(await(a.quota().reserveConnection(APP, 3))).isTrue();
        assertThat(await(b.quota().reserveConnection(APP, 3))).isTrue();
        assertThat(await(a.quota().reserveConnection(APP, 3))).isTrue();
        assertThat(await(b.quota().reserveConnection(APP, 3))).isFalse();
        a.quota().releaseConnection(APP);
        eventually().until(() -> await(b.quota().reserveConnection(APP, 3)));
        assertThat(await(a.quota().reserveConnection(APP, 3))).isFalse();
        assertThat(await(a.quota().reserveConnection(APP, -1))).isTrue();
    }

    @Test
    void cacheKeepsTheLastEventUntilItExpires() {
        long now = System.currentTimeMillis();
        a.channels().cachePut(APP, "cache-news", new CachedEvent("e1", "{\"x\":1}", now + 60_000));
        a.channels().cachePut(APP, "cache-news", new CachedEvent("e2", "{\"x\":2}", now + 60_000));
        eventually().until(() -> {
            CachedEvent e = await(b.channels().cacheGet(APP, "cache-news"));
            return e != null && e.event().equals("e2");
        });
        CachedEvent e = await(b.channels().cacheGet(APP, "cache-news"));
        assertThat(e.data()).isEqualTo("{\"x\":2}");
        assertThat(e.expiresAtMillis()).isEqualTo(now + 60_000);
        assertThat(await(b.channels().channel(APP, "cache-news")).cache()).isEqualTo(e);
        a.channels().cachePut(APP, "cache-old", new CachedEvent("e", "d", now - 1));
        assertThat(await(b.channels().cacheGet(APP, "cache-old"))).isNull();
        assertThat(await(a.channels().cacheGet(APP, "cache-none"))).isNull();
    }

    @Test
    void userSnapshotCoversEveryNode() {
        assertThat(await(a.channels().join(APP, "private-a", null, null, 100)).occupied()).isTrue();
        assertThat(await(a.users().signIn(APP, "u1", "{\"name\":\"U\"}", List.of("w1", "w2"), List.of("private-a"), false))
                .cameOnline()).isTrue();
        assertThat(await(b.users().signIn(APP, "u1", "{\"name\":\"U\"}", List.of("w1", "w2"), List.of(), false))
                .cameOnline()).isFalse();
        await(b.channels().join(APP, "presence-b", new Member("u1", null), "u1", 100));

        UserSnapshot s = await(b.userData().user(APP, "u1"));
        assertThat(s).isEqualTo(new UserSnapshot("u1", true, 2, "{\"name\":\"U\"}", List.of("w1", "w2"),
                List.of("presence-b", "private-a")));
        assertThat(await(a.users().online(APP, List.of("u1", "nobody")))).isEqualTo(Set.of("u1"));
        assertThat(await(a.userData().userInfo(APP, "u1"))).isEqualTo("{\"name\":\"U\"}");
        assertThat(await(b.userData().updateUserInfo(APP, "u1", "{\"name\":\"V\"}"))).isTrue();
        assertThat(await(a.userData().userInfo(APP, "u1"))).isEqualTo("{\"name\":\"V\"}");
        assertThat(await(a.userData().updateUserInfo(APP, "nobody", "{}"))).isFalse();

        await(a.users().signIn(APP, "u2", null, List.of(), List.of(), false));
        await(b.users().signIn(APP, "u3", null, List.of(), List.of(), false));
        var page = await(a.userData().users(APP, null, 2));
        assertThat(page.ids()).containsExactly("u1", "u2");
        assertThat(page.total()).isEqualTo(3);
        assertThat(await(b.userData().users(APP, page.nextCursor(), 2)).ids()).containsExactly("u3");

        await(b.channels().leave(APP, "presence-b", "u1", "u1"));
        assertThat(await(a.users().signOut(APP, "u1", List.of("private-a"))).wentOffline()).isFalse();
        assertThat(await(b.users().signOut(APP, "u1", List.of())).wentOffline()).isTrue();
        assertThat(await(a.userData().user(APP, "u1"))).isNull();
        assertThat(await(b.users().online(APP, List.of("u1")))).isEmpty();
    }

    @Test
    void signInAgainReplacesWhatIsHeldAndCountsNothing() {
        await(a.users().signIn(APP, "u1", "{\"v\":1}", List.of("w1"), List.of(), false));
        assertThat(await(a.users().signIn(APP, "u1", "{\"v\":2}", List.of("w2"), List.of(), true)).cameOnline()).isFalse();
        UserSnapshot s = await(b.userData().user(APP, "u1"));
        assertThat(s.connections()).isEqualTo(1);
        assertThat(s.userInfoJson()).isEqualTo("{\"v\":2}");
        assertThat(s.watchlist()).containsExactly("w2");
        assertThat(await(a.users().signOut(APP, "u1", List.of())).wentOffline()).isTrue();
    }

    @Test
    void eraseRemovesTheUserEverywhereAndLaterSignOutsDecideNothing() {
        await(a.users().signIn(APP, "gone", "{\"x\":1}", List.of("w"), List.of(), false));
        await(b.users().signIn(APP, "gone", "{\"x\":1}", List.of("w"), List.of(), false));
        await(b.channels().join(APP, "presence-p", new Member("gone", null), "gone", 100));
        await(b.users().signIn(APP, "watcher", null, List.of("gone", "other"), List.of(), false));

        UserErasure erased = await(a.userData().eraseUser(APP, "gone"));
        assertThat(erased).isEqualTo(new UserErasure("gone", 2, List.of("presence-p"), true, 1, 1));
        assertThat(await(b.userData().user(APP, "gone"))).isNull();
        assertThat(await(a.userData().user(APP, "watcher")).watchlist()).containsExactly("other");
        assertThat(await(b.userData().eraseUser(APP, "gone"))).isNull();

        assertThat(await(a.users().signOut(APP, "gone", List.of())).wentOffline()).isFalse();
        assertThat(await(b.users().signOut(APP, "gone", List.of("presence-p"))).wentOffline()).isFalse();
        Left left = await(b.channels().leave(APP, "presence-p", "gone", "gone"));
        assertThat(left.memberRemoved()).isTrue();
        assertThat(left.vacated()).isTrue();
    }

    @Test
    void theUserConnectionLimitCountsEveryNodeAndRefusesTheNewestOnly() {
        List<Supplier<CompletionStage<OnlineUsers.SignedIn>>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SharedState node = i % 2 == 0 ? a : b;
            calls.add(() -> node.users().signIn(APP, "capped", null, List.of(), List.of(), false, 3));
        }
        List<OnlineUsers.SignedIn> results = concurrently(calls);
        assertThat(results.stream().filter(r -> !r.refused()).count()).isEqualTo(3);
        assertThat(results.stream().filter(OnlineUsers.SignedIn::cameOnline).count()).isEqualTo(1);
        assertThat(await(b.userData().user(APP, "capped")).connections()).isEqualTo(3);
        // A refusal changed nothing; a place freed by a sign-out is taken by the next one.
        SharedState holder = results.get(0).refused() ? b : a;
        for (int i = 0; i < 10; i++) {
            if (!results.get(i).refused()) {
                holder = i % 2 == 0 ? a : b;
                break;
            }
        }
        await(holder.users().signOut(APP, "capped", List.of()));
        assertThat(await(a.users().signIn(APP, "capped", null, List.of(), List.of(), false, 3)).refused()).isFalse();
        assertThat(await(b.users().signIn(APP, "capped", null, List.of(), List.of(), false, 3)).refused()).isTrue();
        assertThat(await(a.userData().user(APP, "capped")).connections()).isEqualTo(3);
    }

    private static Inboxes.KeptEvent kept(String data) {
        long now = System.currentTimeMillis();
        return new Inboxes.KeptEvent("e", data, now, now + 60_000);
    }

    @Test
    void inboxKeepsForAnOfflineUserAndHandsOverAtTheNextSignInOnAnyNode() {
        for (int i = 1; i <= 3; i++) {
            assertThat(await(a.inboxes().keepIfOffline(APP, "off", kept("d" + i), 100)).kept()).isTrue();
        }
        assertThat(await(b.inboxes().inbox(APP, "off", true)).events()).extracting(Inboxes.KeptEvent::data)
                .containsExactly("d1", "d2", "d3");
        assertThat(await(b.userData().user(APP, "off")).inboxCount()).isEqualTo(3);
        OnlineUsers.SignedIn in = await(b.users().signIn(APP, "off", null, List.of(), List.of(), false));
        assertThat(in.cameOnline()).isTrue();
        assertThat(in.missed()).extracting(Inboxes.KeptEvent::data).containsExactly("d1", "d2", "d3");
        assertThat(await(a.inboxes().inbox(APP, "off", false)).count()).isZero();
        // Online now on node B: node A keeps nothing, and a second sign-in is handed nothing.
        assertThat(await(a.inboxes().keepIfOffline(APP, "off", kept("live"), 100)).kept()).isFalse();
        assertThat(await(a.users().signIn(APP, "off", null, List.of(), List.of(), false)).missed()).isEmpty();
    }

    @Test
    void inboxDropsTheOldestPastItsLimitAndIsErasedWithTheUser() {
        Inboxes.Keep last = null;
        for (int i = 1; i <= 5; i++) {
            last = await(a.inboxes().keepIfOffline(APP, "full", kept("d" + i), 3));
        }
        assertThat(last.dropped()).isEqualTo(1);
        assertThat(await(b.inboxes().inbox(APP, "full", true)).events()).extracting(Inboxes.KeptEvent::data)
                .containsExactly("d3", "d4", "d5");
        UserErasure erased = await(b.userData().eraseUser(APP, "full"));
        assertThat(erased.inboxEventsErased()).isEqualTo(3);
        assertThat(erased.connectionsClosed()).isZero();
        assertThat(await(a.inboxes().inbox(APP, "full", false)).count()).isZero();
        assertThat(await(a.userData().user(APP, "full"))).isNull();
        await(a.inboxes().keepIfOffline(APP, "full", kept("x"), 3));
        assertThat(await(a.inboxes().clearInbox(APP, "full"))).isEqualTo(1);
        assertThat(await(b.inboxes().inbox(APP, "full", false)).count()).isZero();
    }

    @Test
    void concurrentSendsAndSignInsOnTwoNodesKeepOrDeliverEachEventExactlyOnce() {
        // Small enough for the test nodes' 200 ms command timeout on a busy machine, big enough to interleave.
        int users = 8;
        int sendsPerUser = 8;
        List<Supplier<CompletionStage<String>>> calls = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "race-" + u;
            for (int i = 0; i < sendsPerUser; i++) {
                String data = user + "#" + i;
                SharedState node = i % 2 == 0 ? a : b;
                // Not kept means the caller delivers it live: record it as such.
                calls.add(() -> node.inboxes().keepIfOffline(APP, user, kept(data), 1000)
                        .thenApply(k -> k.kept() ? null : "live:" + data));
            }
            for (int i = 0; i < 3; i++) {
                SharedState node = i % 2 == 0 ? b : a;
                calls.add(() -> node.users().signIn(APP, user, null, List.of(), List.of(), false).thenApply(in -> {
                    StringBuilder got = new StringBuilder("in:");
                    in.missed().forEach(e -> got.append(e.data()).append(','));
                    return got.toString();
                }));
            }
        }
        java.util.Collections.shuffle(calls, new java.util.Random(7));
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String result : concurrently(calls)) {
            if (result == null) {
                continue;
            }
            List<String> items = result.startsWith("live:") ? List.of(result.substring(5))
                    : List.of(result.substring(3).split(",")).stream().filter(x -> !x.isEmpty()).toList();
            for (String item : items) {
                seen.merge(item, 1, Integer::sum);
            }
        }
        // Every user signed in, so nothing may still wait, and every event went exactly one way.
        for (int u = 0; u < users; u++) {
            assertThat(await(a.inboxes().inbox(APP, "race-" + u, false)).count()).isZero();
            for (int i = 0; i < sendsPerUser; i++) {
                assertThat(seen.get("race-" + u + "#" + i)).as("race-" + u + "#" + i).isEqualTo(1);
            }
        }
    }

    @Test
    void channelListHoldsOccupiedChannelsOfEveryNodeByPrefix() {
        await(a.channels().join(APP, "presence-one", new Member("u1", null), null, 100));
        await(b.channels().join(APP, "presence-one", new Member("u2", null), null, 100));
        await(b.channels().join(APP, "private-two", null, null, 100));
        await(a.channels().join(APP, "#server-to-user-u1", null, null, 100));
        await(a.channels().join("other-app", "presence-one", new Member("u9", null), null, 100));

        assertThat(await(a.channels().channels(APP, null))).isEqualTo(Map.of(
                "presence-one", new ChannelStats(true, 2, 2, null),
                "private-two", new ChannelStats(true, 1, -1, null)));
        assertThat(await(b.channels().channels(APP, "presence-")).keySet()).containsExactly("presence-one");
        await(b.channels().leave(APP, "private-two", null, null));
        assertThat(await(a.channels().channels(APP, "private-"))).isEmpty();
        assertThat(await(a.channels().channel(APP, "private-two"))).isEqualTo(ChannelStats.VACANT);
    }

    /** What a state reported through its {@link SharedState.Transitions}, one line per call. */
    public static final class RecordedTransitions implements SharedState.Transitions {
        public final List<String> calls = new CopyOnWriteArrayList<>();
        public final AtomicInteger count = new AtomicInteger();
        /** What the engine would do when told to reconnect its clients (close them: their leaves and sign-outs). */
        public volatile Runnable onReconnectAll = () -> { };

        private void add(String s) {
            calls.add(s);
            count.incrementAndGet();
        }

        @Override
        public void memberRemoved(String appId, String channel, String userId) {
            add("memberRemoved " + appId + " " + channel + " " + userId);
        }

        @Override
        public void channelVacated(String appId, String channel) {
            add("channelVacated " + appId + " " + channel);
        }

        @Override
        public void subscriptionCountChanged(String appId, String channel, int count) {
            add("subscriptionCount " + appId + " " + channel + " " + count);
        }

        @Override
        public void userOffline(String appId, String userId) {
            add("userOffline " + appId + " " + userId);
        }

        @Override
        public void reconnectAll() {
            add("reconnectAll");
            onReconnectAll.run();
        }
    }
}
