package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.AppAuth;
import dev.switchboard.server.testing.PresenceBurst;
import dev.switchboard.server.testing.RedisClusterServer;
import dev.switchboard.server.testing.ServerUnderTest;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent joins over two nodes on a Redis Cluster (three masters, three replicas; issue 20): the membership changes
 * of a channel are published by the scripts that decide them, with SPUBLISH on the channel's shard, so bursts of
 * joins and leaves spread over both nodes leave every roster a set at every moment, ending true.
 */
class RedisClusterPresenceOrderTest {
    private static RedisClusterServer redis;
    private static ServerUnderTest one;
    private static ServerUnderTest two;

    @BeforeAll
    static void start() {
        redis = RedisClusterServer.start();
        ServerConfig config = ServerConfig.defaults().withPort(0).with("metrics_port", 0).withRedisCluster(redis.urls());
        one = ServerUnderTest.start(config);
        two = ServerUnderTest.start(config);
    }

    @AfterAll
    static void stop() {
        two.close();
        one.close();
        redis.close();
    }

    @Test
    void burstsWithLeavesAndReturningUsersOverTwoNodesKeepEveryRosterASetThatEndsTrue() {
        AppAuth auth = new AppAuth(SwitchboardExtension.APP_ID, SwitchboardExtension.APP_KEY,
                SwitchboardExtension.APP_SECRET, SwitchboardExtension.ENCRYPTION_MASTER_KEY);
        try (PresenceBurst burst = new PresenceBurst(SwitchboardExtension.APP_KEY, auth,
                List.of(one.port(), two.port()), uniqueChannel("presence-sharded"))) {
            burst.run(8, 4, true);
        }
    }
}
