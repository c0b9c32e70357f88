package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.testing.RedisClusterServer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The broker contract on two nodes sharing one real Redis Cluster: sharded pub/sub, SSUBSCRIBE/SPUBLISH. */
class RedisClusterBrokerContractTest extends BrokerContract {
    private static RedisClusterServer redis;
    private final RedisNodes nodes = new RedisNodes();
    private final Map<Broker, RedisCluster> clusters = new IdentityHashMap<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisClusterServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startNodes() {
        // The default heartbeat (and its 2 s command timeout): liveness is RedisClusterFailoverTest's, and a busy
        // machine must not turn a slow reply into an outage mid-test.
        RedisCluster nodeA = nodes.start(redis, 1000, 5000);
        RedisCluster nodeB = nodes.start(redis, 1000, 5000);
        a = nodeA.broker();
        b = nodeB.broker();
        clusters.put(a, nodeA);
        clusters.put(b, nodeB);
        a.start(deliveredA);
        b.start(deliveredB);
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }

    @Override
    protected long receivedFromOthers(Broker broker) {
        return clusters.get(broker).messagesIn();
    }

    @Test
    void windowedEventsAreKeptAndPublishedInOneStepInSequenceOrder() {
        clusters.get(a).state().start(new dev.switchboard.server.cluster.RecordedTransitions());
        clusters.get(b).state().start(new dev.switchboard.server.cluster.RecordedTransitions());
        windowedEventsReachEveryNodeInSequenceOrder(clusters.get(a).state().windows(), clusters.get(b).state().windows());
    }

    @Test
    void aTopicTravelsOnlyOnTheShardOwningItsSlot() {
        Topic topic = Topic.channel(APP, "sharded-news");
        String channel = new RedisKeys("sbtest").topicChannel(topic);
        long[] before = redis.masters().stream().mapToLong(m -> calls(m.command("INFO", "commandstats"))).toArray();
        await(b.interest(topic, true));
        for (int i = 0; i < 10; i++) {
            a.publish(topic, Frame.ofBytes(("{\"event\":\"e\",\"data\":\"" + i + "\"}").getBytes()), null);
        }
        eventually().until(() -> deliveredB.lines.size() == 10);
        var owner = redis.masterOf(channel);
        var masters = redis.masters();
        for (int i = 0; i < masters.size(); i++) {
            long spublished = calls(masters.get(i).command("INFO", "commandstats")) - before[i];
            assertThat(spublished).as("SPUBLISH on master %s", masters.get(i).port())
                    .isEqualTo(masters.get(i) == owner ? 10 : 0);
            assertThat(masters.get(i).command("INFO", "commandstats")).doesNotContain("cmdstat_publish:");
        }
    }

    private static long calls(String commandstats) {
        for (String line : commandstats.split("\r?\n")) {
            if (line.startsWith("cmdstat_spublish:calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }
}
