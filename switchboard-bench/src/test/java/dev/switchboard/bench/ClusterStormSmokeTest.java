package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storm through a cluster, small: three nodes (in this JVM) on a real redis-server, 300 clients round robin
 * over them, each signed in and in a presence room, cold then warm, own rooms then shared rooms whose members are on
 * every node. Counts only, never timings: every client joined and closed, every node and Redis priced, and every
 * roster right (the members the clients know, from subscription_succeeded and member_added across nodes, sum to the
 * rooms' sizes squared). The same storm over three lone nodes (no Redis) shows the roster check catching rosters
 * split by node.
 */
class ClusterStormSmokeTest {
    private static final List<Switchboard> nodes = new ArrayList<>();
    private static Process redis;
    private static int redisPort;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        redisPort = freePort();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(ClusterStormSmokeTest::redisAnswers);
        for (int i = 0; i < 3; i++) {
            nodes.add(Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0)
                    .withRedis("redis://127.0.0.1:" + redisPort)));
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        nodes.forEach(Switchboard::close);
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String[] args(List<Switchboard> cluster, boolean withRedis, String... more) {
        String self = Long.toString(ProcessHandle.current().pid());
        List<String> a = new ArrayList<>(List.of("storm", "--host", "127.0.0.1",
                "--port", Integer.toString(cluster.get(0).port()),
                "--ws-ports", cluster.stream().map(n -> Integer.toString(n.port())).collect(Collectors.joining(",")),
                // The nodes are this JVM: three readings of it stand for the three processes of a real cluster.
                "--server-pid", self, "--node-pids", String.join(",", self, self, self),
                "--threads", "1", "--baseline-s", "0.2", "--markdown", dir.resolve("BENCHMARKS.md").toString(),
                "--out", dir.resolve("storm.json").toString()));
        if (withRedis) {
            a.addAll(List.of("--redis-pid", Long.toString(redis.pid())));
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void aStormThroughThreeNodesJoinsEveryClientWithEveryRosterRight() throws Exception {
        ObjectNode own = Bench.run(args(nodes, true, "--connections", "300", "--warmup-clients", "90"));
        assertPhase(own.path("cold"), 90);
        assertPhase(own.path("storm"), 300);
        assertThat(own.path("storm").path("membersExpected").asLong()).isEqualTo(300); // each alone in its room

        // 6 rooms: with client i on node i mod 3 and in room i mod 6, a room would sit on one node; here each turn of
        // the round robin (one client per node) goes to one room, so every join is a member_added on the other two
        // nodes through Redis. 100 turns over 6 rooms: four rooms of 17 turns (51 members), two of 16 (48).
        ObjectNode shared = Bench.run(args(nodes, true, "--connections", "300", "--rooms", "6", "--warmup-clients", "0"));
        assertThat(shared.has("cold")).isFalse();
        assertPhase(shared.path("storm"), 300);
        assertThat(shared.path("storm").path("membersExpected").asLong()).isEqualTo(4 * 51 * 51 + 2 * 48 * 48);
    }

    /** The capacity run's scenario, small: rooms over the three nodes, fan-out to them, Redis's INFO read. */
    @Test
    void roomsHeldOverThreeNodesGetEveryDelivery() throws Exception {
        String self = Long.toString(ProcessHandle.current().pid());
        ObjectNode rooms = Bench.run("rooms", "--host", "127.0.0.1", "--port", Integer.toString(nodes.get(0).port()),
                "--ws-ports", nodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.joining(",")),
                "--server-pid", self, "--node-pids", String.join(",", self, self, self),
                "--redis-pid", Long.toString(redis.pid()), "--redis-ports", Integer.toString(redisPort),
                "--connections", "70", "--room-size", "20", "--rates", "20", "--duration-s", "1", "--warmup-s", "0",
                "--baseline-s", "0.2", "--threads", "1", "--publishers", "2",
                "--markdown", dir.resolve("BENCHMARKS.md").toString(), "--out", dir.resolve("rooms.json").toString());

        assertThat(rooms.path("connect").path("ready").asLong()).isEqualTo(70);
        // three rooms of 20 and one of 10; events go to the three full ones
        assertThat(rooms.path("membersExpected").asLong()).isEqualTo(3 * 20 * 20 + 10 * 10);
        assertThat(rooms.path("membersKnown").asLong()).isEqualTo(rooms.path("membersExpected").asLong());
        assertThat(rooms.path("roomsPublishedTo").asInt()).isEqualTo(3);
        JsonNode step = rooms.path("steps").get(0);
        assertThat(step.path("accepted").asLong()).isPositive();
        assertThat(step.path("deliveries").asLong()).isEqualTo(step.path("accepted").asLong() * 20);
        assertThat(step.path("lost").asLong()).isZero();
        assertThat(step.path("connectionsClosed").asLong()).isZero();
        assertThat(step.path("redisInfoDelta").path("total_commands_processed").asDouble()).isPositive();
        assertThat(step.path("redisBytesPerPublish").asDouble()).isPositive();
        assertThat(rooms.path("redisInfoJoined").path("used_memory").asDouble()).isPositive();
        assertThat(rooms.path("nodeFigures")).hasSize(3);
    }

    @Test
    void theRosterCheckCatchesRostersSplitByNode() throws Exception {
        List<Switchboard> lone = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                lone.add(Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0)));
            }
            ObjectNode split = Bench.run(args(lone, false, "--connections", "90", "--rooms", "3", "--warmup-clients", "0"));

            JsonNode storm = split.path("storm");
            assertThat(storm.path("joined").asLong()).isEqualTo(90);
            // Each node sees its own 10 of a room's 30 members: 3 rooms × 3 nodes × 10², not 3 × 30².
            assertThat(storm.path("membersExpected").asLong()).isEqualTo(3 * 30 * 30);
            assertThat(storm.path("membersKnown").asLong()).isEqualTo(3 * 3 * 10 * 10);
        } finally {
            lone.forEach(Switchboard::close);
        }
    }

    private static void assertPhase(JsonNode p, int clients) {
        assertThat(p.path("joined").asLong()).as("joined").isEqualTo(clients);
        assertThat(p.path("failed").asLong()).as("failed").isZero();
        assertThat(p.path("closesSeen").asLong()).as("closes").isEqualTo(clients);
        assertThat(p.path("membersKnown").asLong()).as("members known").isEqualTo(p.path("membersExpected").asLong());
        assertThat(p.path("nodes")).as("a figure per node").hasSize(3);
        for (JsonNode node : p.path("nodes")) {
            assertThat(node.has("cpuMicrosPerJoin")).isTrue();
            assertThat(node.has("cpuMicrosPerClose")).isTrue();
        }
        assertThat(p.has("redisCpuMicrosPerJoin")).isTrue();
        assertThat(p.has("clusterCpuMicrosPerJoin")).isTrue();
        assertThat(p.has("clusterCpuMicrosPerJoinAboveIdle")).isTrue();
    }

    private static boolean redisAnswers() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), redisPort)) {
            s.getOutputStream().write("PING\r\n".getBytes());
            return s.getInputStream().read() == '+';
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
