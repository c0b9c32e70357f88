package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.testing.RedisServer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The broker contract on two Redis nodes sharing one real redis-server. */
class RedisBrokerContractTest extends BrokerContract {
    private static RedisServer redis;
    private final RedisNodes nodes = new RedisNodes();
    private final Map<Broker, RedisCluster> clusters = new IdentityHashMap<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startNodes() {
        RedisCluster nodeA = nodes.start(redis);
        RedisCluster nodeB = nodes.start(redis);
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
}
