package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.cluster.SharedStateContract;
import dev.switchboard.server.testing.RedisClusterServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The shared-state contract on two nodes sharing one real Redis Cluster (three masters, three replicas): every
 * script must find its keys in one slot (Redis refuses CROSSSLOT; the link refuses it before sending) and every
 * plain command must reach its slot's master.
 */
class RedisClusterStateContractTest extends SharedStateContract {
    private static RedisClusterServer redis;
    private final RedisNodes nodes = new RedisNodes();

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
        redis.flushAll();
        // The default heartbeat (and its 2 s command timeout): liveness is RedisClusterFailoverTest's, and a busy
        // machine must not turn a slow reply into an outage mid-test.
        RedisCluster nodeA = nodes.start(redis, 1000, 5000);
        RedisCluster nodeB = nodes.start(redis, 1000, 5000);
        a = nodeA.state();
        b = nodeB.state();
        a.start(transitionsA);
        b.start(transitionsB);
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }
}
