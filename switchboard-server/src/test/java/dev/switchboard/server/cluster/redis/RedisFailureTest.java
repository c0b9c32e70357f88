package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.cluster.RecordedTransitions;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.ChannelState.Member;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the Redis cluster heals: a node that stops renewing its lease is cleaned up by exactly one other node, with
 * each transition reported once; a Redis that dies and comes back empty gets every node's share written back and
 * cross-node delivery resumes; a pub/sub link that falls silent for a lease is re-made. Heartbeat and lease are
 * short here (200 / 1500 ms); the figures in docs/cluster.md are measured with the defaults, by running this class with
 * {@code -Dswitchboard.test.heartbeat=1000 -Dswitchboard.test.nodeTimeout=5000}.
 */
class RedisFailureTest {
    private static final Logger log = LoggerFactory.getLogger(RedisFailureTest.class);
    private static final String APP = "app-1";
    private static final int HEARTBEAT = Integer.getInteger("switchboard.test.heartbeat", 200);
    private static final int NODE_TIMEOUT = Integer.getInteger("switchboard.test.nodeTimeout", 1500);
    /** The bounds: a dead node is cleaned up within 10 s, delivery resumes within 5 s of Redis's return. */
    private static final Duration CLEANUP_BOUND = Duration.ofSeconds(10);
    private static final Duration RESUME_BOUND = Duration.ofSeconds(5);

    private RedisServer redis;
    private final RedisNodes nodes = new RedisNodes();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        nodes.close();
        redis.close();
    }

    private RedisCluster node(String url, RecordedTransitions transitions, BrokerContract.Recorded delivered) {
        RedisCluster n = nodes.start(url, HEARTBEAT, NODE_TIMEOUT);
        n.broker().start(delivered);
        n.state().start(transitions);
        return n;
    }

    private static <T> T await(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Frame frame(String s) {
        return Frame.ofBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeadNodesShareIsRemovedOnceByOneSurvivorWithEveryTransition() {
        RecordedTransitions ta = new RecordedTransitions();
        RecordedTransitions tb = new RecordedTransitions();
        RecordedTransitions tc = new RecordedTransitions();
        RedisCluster a = node(redis.url(), ta, new BrokerContract.Recorded());
        RedisCluster b = node(redis.url(), tb, new BrokerContract.Recorded());
        RedisCluster c = node(redis.url(), tc, new BrokerContract.Recorded());
        SharedState sa = a.state();
        SharedState sb = b.state();
        await(sa.channels().join(APP, "presence-x", new Member("u1", null), null, 100));
        await(sb.channels().join(APP, "presence-x", new Member("u2", null), null, 100));
        await(sb.channels().join(APP, "presence-x", new Member("u1", null), null, 100));
        await(sb.channels().join(APP, "private-y", null, "u2", 100));
        await(sb.users().signIn(APP, "u2", null, List.of(), List.of("presence-x"), false));
        await(sb.quota().reserveConnection(APP, 2));
        await(sa.quota().reserveConnection(APP, 2));
        eventually().until(() -> a.liveNodes() == 3);

        long killed = System.nanoTime();
        b.crash();
        List<String> expected = List.of("memberRemoved app-1 presence-x u2", "subscriptionCount app-1 presence-x 1",
                "subscriptionCount app-1 private-y 0", "channelVacated app-1 private-y", "userOffline app-1 u2");
        Awaitility.await().atMost(CLEANUP_BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> ta.count.get() + tc.count.get() == expected.size());
        log.info("dead node cleaned up {} ms after kill (heartbeat {} ms, node timeout {} ms)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed), HEARTBEAT, NODE_TIMEOUT);
        List<String> all = new ArrayList<>(ta.calls);
        all.addAll(tc.calls);
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ta.calls.isEmpty() || tc.calls.isEmpty()).as("one cleaner").isTrue();
        throughoutQuietPeriod().until(() -> ta.count.get() + tc.count.get() == expected.size());
        assertThat(tb.calls).isEmpty();

        assertThat(await(sa.channels().channel(APP, "presence-x"))).isEqualTo(new ChannelStats(true, 1, 1, null));
        assertThat(await(sa.channels().members(APP, "presence-x"))).containsExactly("u1");
        assertThat(await(sa.userData().user(APP, "u2"))).isNull();
        assertThat(await(sa.quota().reserveConnection(APP, 2))).isTrue();
        assertThat(a.liveNodes()).isEqualTo(2);
    }

    @Test
    void redisKilledAndRestartedEmptyGetsEveryNodesShareBackAndDeliveryResumes() {
        RecordedTransitions ta = new RecordedTransitions();
        RecordedTransitions tb = new RecordedTransitions();
        BrokerContract.Recorded da = new BrokerContract.Recorded();
        BrokerContract.Recorded db = new BrokerContract.Recorded();
        RedisCluster a = node(redis.url(), ta, da);
        RedisCluster b = node(redis.url(), tb, db);
        SharedState sa = a.state();
        SharedState sb = b.state();
        await(sa.channels().join(APP, "presence-x", new Member("u1", "{\"n\":1}"), "u1", 100));
        await(sb.channels().join(APP, "presence-x", new Member("u2", null), null, 100));
        await(sa.users().signIn(APP, "u1", "{\"n\":1}", List.of("u2"), List.of("presence-x"), false));
        await(sb.users().signIn(APP, "u1", "{\"n\":1}", List.of("u2"), List.of(), false));
        await(sa.quota().reserveConnection(APP, 3));
        await(sb.quota().reserveConnection(APP, 3));
        Topic room = Topic.channel(APP, "presence-x");
        await(b.broker().interest(room, true));

        redis.kill();
        eventually().until(() -> a.degradedReason() != null && b.degradedReason() != null);
        assertThat(a.degradedReason()).contains("redis unreachable");
        // writes never fail while Redis is away: decided by the node alone
        assertThat(await(sa.channels().join(APP, "private-during", null, null, 100)).occupied()).isTrue();
        assertThat(await(sa.quota().reserveConnection(APP, 3))).isTrue();
        assertThat(sa.channels().channel(APP, "presence-x").toCompletableFuture()).isCompletedExceptionally();
        a.broker().publish(room, frame("{\"local\":true}"), null);
        assertThat(da.lines).contains("deliver CHANNEL presence-x null {\"local\":true}");

        long restarted = System.nanoTime();
        redis.restart();
        int before = db.lines.size();
        // pub/sub keeps nothing for a node not subscribed yet: publish until the first message gets through
        int[] n = {0};
        Awaitility.await().atMost(RESUME_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
            a.broker().publish(room, frame("{\"probe\":" + n[0]++ + "}"), null);
            return db.lines.size() > before;
        });
        log.info("cross-node delivery resumed {} ms after Redis restarted (heartbeat {} ms)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted), HEARTBEAT);
        eventually().until(() -> a.degradedReason() == null && b.degradedReason() == null);
        log.info("both nodes wrote their state back {} ms after Redis restarted",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));

        eventually().untilAsserted(() -> {
            assertThat(await(sb.channels().channel(APP, "presence-x"))).isEqualTo(new ChannelStats(true, 2, 2, null));
            assertThat(await(sb.channels().members(APP, "presence-x"))).containsExactlyInAnyOrder("u1", "u2");
            assertThat(await(sb.channels().channel(APP, "private-during")).occupied()).isTrue();
            var u1 = await(sb.userData().user(APP, "u1"));
            assertThat(u1.connections()).isEqualTo(2);
            assertThat(u1.userInfoJson()).isEqualTo("{\"n\":1}");
            assertThat(u1.watchlist()).containsExactly("u2");
            assertThat(u1.channels()).containsExactly("presence-x");
        });
        assertThat(await(sb.quota().reserveConnection(APP, 3))).isFalse();
        assertThat(a.reconnects()).isPositive();
        assertThat(ta.calls).isEmpty();
        assertThat(tb.calls).isEmpty();
    }

    @Test
    void aSilentPubSubLinkIsProbedAndRemade() {
        try (TcpProxy proxy = new TcpProxy(redis.port())) {
            BrokerContract.Recorded db = new BrokerContract.Recorded();
            RedisCluster a = node(redis.url(), new RecordedTransitions(), new BrokerContract.Recorded());
            RedisCluster b = node("redis://127.0.0.1:" + proxy.port(), new RecordedTransitions(), db);
            Topic t = Topic.user(APP, "u1");
            await(b.broker().interest(t, true));
            a.broker().publish(t, frame("{\"n\":0}"), null);
            eventually().until(() -> db.lines.size() == 1);

            proxy.silenceOpenLinks();
            long silenced = System.nanoTime();
            int[] n = {1};
            // a silent loop is given the lease (a frozen link that thaws loses nothing), then re-made
            Awaitility.await().atMost(RESUME_BOUND.plusMillis(NODE_TIMEOUT)).pollInterval(Duration.ofMillis(50)).until(() -> {
                a.broker().publish(t, frame("{\"n\":" + n[0]++ + "}"), null);
                return db.lines.size() > 1;
            });
            log.info("silent pub/sub link re-made, delivery back {} ms after the link fell silent",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silenced));
            assertThat(b.reconnects()).isPositive();
            eventually().until(() -> b.degradedReason() == null);
        }
    }

    @Test
    void aClosingNodeTakesItsShareOutAtOnce() {
        RecordedTransitions ta = new RecordedTransitions();
        RecordedTransitions tb = new RecordedTransitions();
        RedisCluster a = node(redis.url(), ta, new BrokerContract.Recorded());
        RedisCluster b = node(redis.url(), tb, new BrokerContract.Recorded());
        await(a.state().channels().join(APP, "presence-x", new Member("u1", null), null, 100));
        await(b.state().channels().join(APP, "presence-x", new Member("u2", null), "u2", 100));
        await(b.state().users().signIn(APP, "u2", null, List.of(), List.of("presence-x"), false));
        await(b.state().quota().reserveConnection(APP, 1));
        eventually().until(() -> a.liveNodes() == 2);

        // the engine would have released these itself before closing; what it did not is taken out by close()
        b.close();
        assertThat(redis.command("ZRANGE", "sbtest:{nodes}", "0", "-1")).isEqualTo(a.nodeId() + "\n");
        assertThat(await(a.state().channels().members(APP, "presence-x"))).containsExactly("u1");
        assertThat(await(a.state().userData().user(APP, "u2"))).isNull();
        assertThat(await(a.state().quota().reserveConnection(APP, 1))).isTrue();
        assertThat(tb.calls).containsExactly("memberRemoved app-1 presence-x u2",
                "subscriptionCount app-1 presence-x 1", "userOffline app-1 u2");
        throughoutQuietPeriod().until(() -> ta.calls.isEmpty());
    }

    @Test
    void aCleanupWhoseCleanerDiedIsClaimedAgainAndFinishedOnce() {
        RecordedTransitions ta = new RecordedTransitions();
        RedisCluster a = node(redis.url(), ta, new BrokerContract.Recorded());
        RedisCluster b = node(redis.url(), new RecordedTransitions(), new BrokerContract.Recorded());
        await(b.state().channels().join(APP, "presence-x", new Member("u2", null), null, 100));
        eventually().until(() -> a.liveNodes() == 2);
        b.crash();
        // as if a third node had claimed b's lease and died before cleaning up
        redis.command("ZREM", "sbtest:{nodes}", b.nodeId());
        redis.command("ZADD", "sbtest:{nodes}:cleanups", "0", b.nodeId());

        Awaitility.await().atMost(CLEANUP_BOUND).pollInterval(Duration.ofMillis(20)).until(() -> ta.count.get() == 3);
        assertThat(ta.calls).containsExactly("memberRemoved app-1 presence-x u2",
                "subscriptionCount app-1 presence-x 0", "channelVacated app-1 presence-x");
        // The claim is dropped after the transitions are reported, so it may still be there a moment.
        eventually().until(() -> redis.command("ZCARD", "sbtest:{nodes}:cleanups").equals(":0"));
    }

    /**
     * A node started while Redis is down serves its clients alone; a presence join it decided alone is news the other
     * nodes never heard, so once Redis is up it resigns instead of writing it back silently (issue 20): its clients
     * are told to reconnect, and their joins then go through the cluster, where the other node sees them.
     */
    @Test
    void aNodeStartedWhileRedisIsDownServesAloneAndRejoinsOnceRedisIsUp() {
        redis.kill();
        BrokerContract.Recorded db = new BrokerContract.Recorded();
        RecordedTransitions ta = new RecordedTransitions();
        RedisCluster[] holder = new RedisCluster[1];
        CompletableFuture<Void> reconnect = new CompletableFuture<>();
        ta.onReconnectAll = () -> {
            holder[0].state().channels().leave(APP, "presence-x", "u1", null); // the engine closes the client's socket
            reconnect.complete(null);
        };
        RedisCluster a = holder[0] = node(redis.url(), ta, new BrokerContract.Recorded());
        RedisCluster b = node(redis.url(), new RecordedTransitions(), db);
        assertThat(a.degradedReason()).contains("redis unreachable");
        assertThat(await(a.state().channels().join(APP, "presence-x", new Member("u1", null), null, 100)).newMember()).isTrue();
        Topic room = Topic.channel(APP, "presence-x");
        await(b.broker().interest(room, true));

        redis.restart();
        await(reconnect);
        eventually().until(() -> a.degradedReason() == null && b.degradedReason() == null);
        // the client back, through the cluster this time: the join is news to every node
        ChannelState.Joined again = await(a.state().channels().join(APP, "presence-x", new Member("u1", null), null, 100));
        assertThat(again.newMember()).isTrue();
        assertThat(again.announced()).isTrue();
        assertThat(await(b.state().channels().members(APP, "presence-x"))).containsExactly("u1");
        int[] n = {0};
        eventually().until(() -> {
            a.broker().publish(room, frame("{\"n\":" + n[0]++ + "}"), null);
            return !db.lines.isEmpty();
        });
    }
}
