package dev.switchboard.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.cluster.RecordedTransitions;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.ChannelState.Member;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.testing.RedisClusterServer;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master of the Redis Cluster is killed with -9 while three nodes have members and subscriptions on channels of
 * every shard (two on the shard that fails). Its replica takes over; without a restart, every node then receives every event published on every
 * channel, exactly once, and the presence rosters hold every member (the replica had them, and what it missed the
 * nodes write back). The gap (kill to the first event delivered on every node on the failed shard's channel) is
 * logged: kill -9 to the moment an event published by any node reaches every node. The lease (5 s) outlasts the
 * failover, so no node is taken for dead meanwhile.
 */
class RedisClusterFailoverTest {
    private static final Logger log = LoggerFactory.getLogger(RedisClusterFailoverTest.class);
    private static final String APP = "app-1";
    /** Redis's own failover takes about two cluster node timeouts; Lettuce's refresh and re-subscribing follow. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(20);

    private RedisClusterServer redis;
    private final RedisNodes nodes = new RedisNodes();

    @BeforeEach
    void start() {
        redis = RedisClusterServer.start();
    }

    @AfterEach
    void stop() {
        nodes.close();
        redis.close();
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

    private static long count(BrokerContract.Recorded d, String marker) {
        return d.lines.stream().filter(l -> l.contains(marker)).count();
    }

    @Test
    void afterAMasterIsKilledDeliveryAndPresenceResumeOnItsReplica() {
        RedisKeys keys = new RedisKeys("sbtest");
        // One presence channel per master, so every shard carries state and subscriptions, and a second one (of
        // another slot) on the master that fails: a node moves both at once, and Redis takes one SSUBSCRIBE per slot.
        List<String> channels = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        for (int i = 0; covered.size() < 3; i++) {
            String ch = "presence-room-" + i;
            if (covered.add(redis.masterOf(keys.topicChannel(Topic.channel(APP, ch))).port())) {
                channels.add(ch);
            }
        }
        int failingPort = redis.masterOf(keys.topicChannel(Topic.channel(APP, channels.get(0)))).port();
        for (int i = 0; channels.size() < 4; i++) {
            String ch = "presence-second-" + i;
            if (redis.masterOf(keys.topicChannel(Topic.channel(APP, ch))).port() == failingPort) {
                channels.add(ch);
            }
        }
        List<RedisCluster> cluster = new ArrayList<>();
        List<BrokerContract.Recorded> delivered = new ArrayList<>();
        List<RecordedTransitions> transitions = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            RedisCluster node = nodes.start(redis, 200, 5000);
            BrokerContract.Recorded d = new BrokerContract.Recorded();
            RecordedTransitions t = new RecordedTransitions();
            node.broker().start(d);
            node.state().start(t);
            for (String ch : channels) {
                await(node.broker().interest(Topic.channel(APP, ch), true));
                await(node.state().channels().join(APP, ch, new Member("user-" + n, "{}"), null, 100));
            }
            cluster.add(node);
            delivered.add(d);
            transitions.add(t);
        }
        String failing = channels.get(0);
        RedisServer master = redis.masterOf(keys.topicChannel(Topic.channel(APP, failing)));

        long killed = System.nanoTime();
        Duration redisFailover = redis.killMasterAndAwaitFailover(master);
        // Resumed when an event published now by any node reaches every node: each poll checks, then each node
        // publishes one more (each node's connections learn the new topology on their own).
        int[] probes = {0};
        Awaitility.await("delivery on the failed shard's channel").atMost(RESUME_BOUND)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    boolean reached = true;
                    for (int from = 0; from < 3; from++) {
                        String prefix = "probe-" + from + "-";
                        reached &= delivered.stream().allMatch(d -> count(d, prefix) > 0);
                    }
                    probes[0]++;
                    for (int from = 0; from < 3; from++) {
                        cluster.get(from).broker().publish(Topic.channel(APP, failing),
                                frame("{\"event\":\"probe-" + from + "-" + probes[0] + "\"}"), null);
                    }
                    return reached;
                });
        Duration gap = Duration.ofNanos(System.nanoTime() - killed);
        log.info("Redis Cluster failover: redis-side {} ms, kill -9 to delivery on every node {} ms",
                redisFailover.toMillis(), gap.toMillis());

        // Every node publishes on every channel: each event reaches every node exactly once.
        for (int n = 0; n < 3; n++) {
            for (String ch : channels) {
                cluster.get(n).broker().publish(Topic.channel(APP, ch),
                        frame("{\"event\":\"after-" + n + "-" + ch + "\"}"), null);
            }
        }
        Waits.eventually().until(() -> delivered.stream().allMatch(d -> d.lines.stream()
                .filter(l -> l.contains("after-")).count() == 3L * channels.size()));
        for (BrokerContract.Recorded d : delivered) {
            for (int n = 0; n < 3; n++) {
                for (String ch : channels) {
                    assertThat(count(d, "after-" + n + "-" + ch)).isEqualTo(1);
                }
            }
        }
        // Presence: every member on every channel, from every node, and no member was ever reported removed.
        Waits.eventually().untilAsserted(() -> {
            for (RedisCluster node : cluster) {
                for (String ch : channels) {
                    assertThat(await(node.state().channels().members(APP, ch))).containsExactlyInAnyOrder(
                            "user-0", "user-1", "user-2");
                }
            }
        });
        for (RecordedTransitions t : transitions) {
            assertThat(t.calls).noneMatch(c -> c.startsWith("memberRemoved") || c.startsWith("channelVacated"));
        }
        assertThat(cluster).allMatch(n -> n.liveNodes() == 3);
    }

    /**
     * A presence join the failed shard cannot decide is held ({@link HeldPresence}), but not past
     * redis_presence_hold_millis: then the node decides it alone, as during any outage (its roster holds its own
     * members only), rather than keep the subscriber waiting for a Redis that does not come back in time.
     */
    @Test
    void aPresenceJoinHeldPastTheHoldIsDecidedByTheNodeAlone() {
        RedisKeys keys = new RedisKeys("sbtest");
        String ch = "presence-held";
        RedisServer master = redis.masterOf(keys.topicChannel(Topic.channel(APP, ch)));
        RedisCluster other = nodes.start(redis, 200, 5000);
        RedisCluster impatient = nodes.start(redis, 200, 5000, 300);
        other.state().start(new RecordedTransitions());
        impatient.state().start(new RecordedTransitions());
        await(other.state().channels().join(APP, ch, new Member("user-other", "{}"), null, 100));

        master.kill();
        var joined = await(impatient.state().channels().join(APP, ch, new Member("user-impatient", "{}"), null, 100));

        assertThat(joined.roster()).containsOnlyKeys("user-impatient");
        assertThat(joined.newMember()).isTrue();
    }
}
