package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.cluster.RecordedTransitions;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.ChannelState.Member;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TcpProxy.Direction;
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

/**
 * The fence (issue 20): node b reaches Redis through a {@link TcpProxy} that freezes its links (bytes held, not
 * lost, so a heal delivers the backlog, as a real partition does). Cut off longer than the lease, b is declared
 * dead by a or c, which remove its member once; when b is back it decides nothing for its old connections, asks the
 * engine to reconnect them, delivers none of what was published while it was dead, holds new connections until its
 * old share is out, and rejoins fresh (its member's return is decided again, by Redis). Cut off for less than the
 * lease, nothing of that happens and the backlog is delivered. Asymmetric cuts (b cannot receive, or cannot send)
 * are found by the pub/sub probe or the heartbeat and handled the same way. Heartbeat 200 ms, lease 2 s.
 */
class RedisFenceTest {
    private static final String APP = "app-1";
    private static final int HEARTBEAT = 200;
    private static final int NODE_TIMEOUT = 2000;
    private static final Topic ROOM = Topic.channel(APP, "presence-x");

    private RedisServer redis;
    private TcpProxy proxy;
    private final RedisNodes nodes = new RedisNodes();
    private final RecordedTransitions ta = new RecordedTransitions();
    private final RecordedTransitions tc = new RecordedTransitions();
    private final BrokerContract.Recorded db = new BrokerContract.Recorded();
    private final CompletableFuture<Boolean> heldAtGate = new CompletableFuture<>();
    private RedisCluster a;
    private RedisCluster b;
    private RedisCluster c;
    /** b's transitions: as the engine would, a reconnect closes b's client (its leaves) and its new one waits. */
    private final RecordedTransitions tb = new RecordedTransitions();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        proxy = new TcpProxy(redis.port());
        tb.onReconnectAll = () -> {
            SharedState s = b.state();
            s.channels().leave(APP, "presence-x", "u2", "u2");
            s.users().signOut(APP, "u2", List.of());
            s.quota().releaseConnection(APP);
            CompletionStage<Boolean> again = s.quota().reserveConnection(APP, -1);
            heldAtGate.complete(!again.toCompletableFuture().isDone());
        };
        a = node(redis.url(), ta, new BrokerContract.Recorded());
        b = node("redis://127.0.0.1:" + proxy.port(), tb, db);
        c = node(redis.url(), tc, new BrokerContract.Recorded());
        await(a.state().channels().join(APP, "presence-x", new Member("u1", null), null, 100));
        await(b.state().quota().reserveConnection(APP, -1));
        await(b.state().channels().join(APP, "presence-x", new Member("u2", null), "u2", 100));
        await(b.state().users().signIn(APP, "u2", null, List.of(), List.of("presence-x"), false));
        await(b.broker().interest(ROOM, true));
        eventually().until(() -> a.liveNodes() == 3);
        publishUntilBReceives("before");
    }

    @AfterEach
    void stop() {
        proxy.close();
        nodes.close();
        redis.close();
    }

    private RedisCluster node(String url, RecordedTransitions transitions, BrokerContract.Recorded delivered) {
        RedisCluster n = nodes.start(url, HEARTBEAT, NODE_TIMEOUT);
        n.broker().start(delivered);
        n.state().start(transitions);
        return n;
    }

    @Test
    void aNodeCutOffLongerThanItsLeaseIsFencedAndRejoinsFresh() {
        proxy.freeze();
        awaitBRemovedOnceByASurvivor();
        a.broker().publish(ROOM, frame("during"), null); // b's pub/sub link holds it until the heal
        proxy.thaw();

        assertFencedAndRejoined();
        assertThat(db.lines).noneMatch(l -> l.contains("during"));
    }

    @Test
    void aNodeCutOffShorterThanItsLeaseKeepsItsShareAndGetsTheBacklog() {
        proxy.freeze();
        eventually().until(() -> b.degradedReason() != null);
        a.broker().publish(ROOM, frame("during"), null);
        proxy.thaw();

        eventually().until(() -> b.degradedReason() == null);
        eventually().until(() -> db.lines.stream().anyMatch(l -> l.contains("during")));
        throughoutQuietPeriod().until(() -> ta.calls.isEmpty() && tb.calls.isEmpty() && tc.calls.isEmpty());
        assertThat(await(a.state().channels().members(APP, "presence-x"))).containsExactlyInAnyOrder("u1", "u2");
    }

    @Test
    void aNodeThatCanSendButNotReceiveResignsAndRejoins() {
        proxy.freezePubSub(Direction.TO_CLIENT);
        awaitBRemovedOnceByASurvivor();
        eventually().until(() -> tb.calls.contains("reconnectAll"));
        proxy.thaw();

        assertFencedAndRejoined();
        publishUntilBReceives("after");
    }

    @Test
    void aNodeThatCanReceiveButNotSendDropsWhatArrivesAfterItsLease() {
        proxy.freeze(Direction.TO_SERVER);
        awaitBRemovedOnceByASurvivor();
        a.broker().publish(ROOM, frame("during"), null); // reaches b at once: held, then dropped with the fence
        proxy.thaw();

        assertFencedAndRejoined();
        assertThat(db.lines).noneMatch(l -> l.contains("during"));
    }

    /** Fenced: nothing decided at b, its client reconnected, held at the gate, rejoined fresh. */
    private void assertFencedAndRejoined() {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> tb.calls.contains("reconnectAll") && b.degradedReason() == null);
        assertThat(tb.calls).containsExactly("reconnectAll");
        assertThat(heldAtGate).isCompletedWithValue(true);
        assertThat(await(a.state().channels().members(APP, "presence-x"))).containsExactly("u1");
        // the client comes back through the normal path: Redis decides its return, once
        ChannelState.Joined back = await(b.state().channels().join(APP, "presence-x", new Member("u2", null), "u2", 100));
        assertThat(back.newMember()).isTrue();
        assertThat(await(b.state().users().signIn(APP, "u2", null, List.of(), List.of("presence-x"), false)).cameOnline())
                .isTrue();
        assertThat(await(a.state().channels().members(APP, "presence-x"))).containsExactlyInAnyOrder("u1", "u2");
        assertThat(ta.calls.size() + tc.calls.size()).isEqualTo(3);
    }

    private void awaitBRemovedOnceByASurvivor() {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> ta.count.get() + tc.count.get() >= 3);
        List<String> all = new ArrayList<>(ta.calls);
        all.addAll(tc.calls);
        assertThat(all).containsExactlyInAnyOrder("memberRemoved app-1 presence-x u2",
                "subscriptionCount app-1 presence-x 1", "userOffline app-1 u2");
    }

    private void publishUntilBReceives(String what) {
        int before = db.lines.size();
        int[] n = {0};
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            a.broker().publish(ROOM, frame(what + n[0]++), null);
            return db.lines.size() > before;
        });
    }

    private static Frame frame(String s) {
        return Frame.ofBytes(("{\"m\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T await(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
