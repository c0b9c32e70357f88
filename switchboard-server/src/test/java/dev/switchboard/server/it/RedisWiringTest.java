package dev.switchboard.server.it;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.Result;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.ServerUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * redis_url makes a node a cluster member: two nodes in this JVM on one test Redis show their own ids and two
 * live nodes on /up, the Redis meters on /metrics, and an event triggered on one node reaches a client of the
 * other. (The multi-process cluster tests live in their own suite.)
 */
class RedisWiringTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private RedisServer redis;
    private ServerUnderTest one;
    private ServerUnderTest two;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        ServerConfig config = ServerConfig.defaults().withPort(0).with("metrics_port", 0).withRedis(redis.url());
        one = ServerUnderTest.start(config);
        two = ServerUnderTest.start(config);
    }

    @AfterEach
    void stop() {
        two.close();
        one.close();
        redis.close();
    }

    private static String getMetrics(ServerUnderTest node) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String get(ServerUnderTest node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void twoNodesOnOneRedisActAsOne() throws Exception {
        eventually().until(() -> Json.parse(get(one, "/up")).get("live_nodes").intValue() == 2);
        String idOne = Json.parse(get(one, "/up")).get("node").textValue();
        String idTwo = Json.parse(get(two, "/up")).get("node").textValue();
        assertThat(idOne).isNotEqualTo(idTwo);
        assertThat(Json.parse(get(two, "/up")).has("degraded")).isFalse();
        assertThat(getMetrics(one)).contains("switchboard_cluster_node{node=\"" + idOne + "\"}",
                "switchboard_cluster_live_nodes 2.0", "switchboard_redis_round_trips_total");

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
            // the channel's subscriber is on node two; node one's HTTP API sees it through Redis
            assertThat(signedChannelOccupied(api)).isTrue();
        } finally {
            client.disconnect();
        }
    }

    private static boolean signedChannelOccupied(com.pusher.rest.Pusher api) {
        Result r = api.get("/channels/news", Map.of("info", "subscription_count"));
        return r.getStatus() == Result.Status.SUCCESS && Json.parse(r.getMessage()).get("occupied").booleanValue();
    }
}
