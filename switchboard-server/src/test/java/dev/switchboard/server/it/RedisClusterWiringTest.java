package dev.switchboard.server.it;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.Result;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RedisClusterServer;
import dev.switchboard.server.testing.ServerUnderTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * redis_cluster makes a node a cluster member on a Redis Cluster: two nodes in this JVM on a test Redis Cluster
 * (three masters, three replicas), an event triggered on one node reaches a client of the other (sharded pub/sub),
 * and one node's HTTP API sees the other's subscriber (shared state on the cluster).
 */
class RedisClusterWiringTest {
    private RedisClusterServer redis;
    private ServerUnderTest one;
    private ServerUnderTest two;

    @BeforeEach
    void start() {
        redis = RedisClusterServer.start();
        ServerConfig config = ServerConfig.defaults().withPort(0).with("metrics_port", 0).withRedisCluster(redis.urls());
        one = ServerUnderTest.start(config);
        two = ServerUnderTest.start(config);
    }

    @AfterEach
    void stop() {
        two.close();
        one.close();
        redis.close();
    }

    @Test
    void twoNodesOnARedisClusterActAsOne() {
        List<String> received = new CopyOnWriteArrayList<>();
        Pusher client = new Pusher("app-key", new PusherOptions().setHost("127.0.0.1").setWsPort(two.port())
                .setUseTLS(false));
        try {
            client.connect();
            eventually().until(() -> client.getConnection().getState() == ConnectionState.CONNECTED);
            client.subscribe("news").bind("story", e -> received.add(e.getData()));
            eventually().until(() -> client.getChannel("news").isSubscribed());

            com.pusher.rest.Pusher api = new com.pusher.rest.Pusher("app-id", "app-key", "app-secret");
            api.setHost("127.0.0.1:" + one.port());
            Result r = api.trigger("news", "story", Map.of("n", 1));
            assertThat(r.getStatus()).isEqualTo(Result.Status.SUCCESS);
            eventually().until(() -> received.size() == 1);
            assertThat(Json.parse(received.get(0)).get("n").intValue()).isEqualTo(1);
            Result channel = api.get("/channels/news", Map.of("info", "subscription_count"));
            assertThat(Json.parse(channel.getMessage()).get("occupied").booleanValue()).isTrue();
            assertThat(Json.parse(channel.getMessage()).get("subscription_count").intValue()).isEqualTo(1);
        } finally {
            client.disconnect();
        }
    }
}
