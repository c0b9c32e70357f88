package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run of every scenario against the real server started in this JVM on a free port, so the
 * harness cannot rot. Not a benchmark: 20 clients, one-second steps, nothing measured is asserted except
 * that events arrive, none is lost and the result has its fields.
 */
class BenchSmokeTest {
    private static Switchboard server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String[] args(String scenario, String... more) {
        String[] common = {"--host", "127.0.0.1", "--port", Integer.toString(server.port()),
                "--server-pid", Long.toString(ProcessHandle.current().pid()), "--label", "switchboard",
                "--threads", "1", "--publishers", "2", "--duration-s", "1", "--warmup-s", "0", "--drain-s", "3", "--baseline-s", "0.5",
                "--out", dir.resolve(scenario + ".json").toString(), "--markdown", dir.resolve("BENCHMARKS.md").toString()};
        String[] all = new String[1 + common.length + more.length];
        all[0] = scenario;
        System.arraycopy(common, 0, all, 1, common.length);
        System.arraycopy(more, 0, all, 1 + common.length, more.length);
        return all;
    }

    @Test
    void fanOutDeliversEveryEventToEverySubscriber() throws Exception {
        ObjectNode result = Bench.run(args("fanout", "--connections", "20", "--rates", "20,50",
                "--chart", dir.resolve("fanout.svg").toString()));

        assertThat(result.path("connect").path("ready").asLong()).isEqualTo(20);
        assertThat(result.path("steps")).hasSize(2);
        for (JsonNode step : result.path("steps")) {
            assertThat(step.path("accepted").asLong()).isPositive();
            assertThat(step.path("deliveries").asLong()).isPositive().isEqualTo(step.path("accepted").asLong() * 20);
            assertThat(step.path("lost").asLong()).isZero();
            for (String field : new String[] {"requestedRate", "achievedRate", "deliveriesPerSecond", "latencyP50Ms",
                    "latencyP99Ms", "latencyP999Ms", "latencyMaxMs", "serverCpuMicrosPerDelivery", "serverRssBytes",
                    "clientCpuPercent"}) {
                assertThat(step.has(field)).as(field).isTrue();
            }
        }
        JsonNode written = WireCodec.parse(Files.readString(dir.resolve("fanout.json")));
        assertThat(written.path("machine").path("nproc").asInt()).isPositive();
        assertThat(written.path("steps")).hasSize(2);
        assertThat(Files.readString(dir.resolve("BENCHMARKS.md"))).contains("| rate req/s |");
        assertThat(Files.readString(dir.resolve("fanout.svg"))).startsWith("<svg").contains("polyline");
    }

    @Test
    void theOtherScenariosRun() throws Exception {
        ObjectNode users = Bench.run(args("users", "--connections", "10", "--rates", "20"));
        assertThat(users.path("steps").get(0).path("deliveries").asLong()).isPositive();
        assertThat(users.path("steps").get(0).path("lost").asLong()).isZero();

        ObjectNode http = Bench.run(args("http", "--concurrency", "2"));
        assertThat(http.path("steps").get(0).path("requestsPerSecond").asDouble()).isPositive();

        ObjectNode presence = Bench.run(args("presence", "--connections", "5", "--observers", "2", "--rates", "20"));
        assertThat(presence.path("steps").get(0).path("memberEvents").asLong()).isPositive();

        ObjectNode idle = Bench.run(args("idle", "--connections", "10", "--signin", "true"));
        assertThat(idle.path("connections").asLong()).isEqualTo(10);
        assertThat(idle.has("serverRssPerConnectionBytes")).isTrue();
        assertThat(idle.has("serverRssSteadyPerConnectionBytes")).isTrue();
    }

    /** A storm of a few hundred: every client joined, none failed, every close answered; own rooms, then shared. */
    @Test
    void aReconnectStormJoinsAndClosesEveryClient() throws Exception {
        ObjectNode own = Bench.run(args("storm", "--connections", "300", "--warmup-clients", "100"));
        for (String phase : new String[] {"cold", "storm"}) {
            JsonNode p = own.path(phase);
            int clients = phase.equals("cold") ? 100 : 300;
            assertThat(p.path("joined").asLong()).as(phase + " joined").isEqualTo(clients);
            assertThat(p.path("failed").asLong()).as(phase + " failed").isZero();
            assertThat(p.path("closesSeen").asLong()).as(phase + " closes").isEqualTo(clients);
            assertThat(p.has("serverCpuMicrosPerJoin")).isTrue();
            assertThat(p.has("serverJitCpuMicrosPerJoin")).isTrue();
        }

        ObjectNode shared = Bench.run(args("storm", "--connections", "300", "--rooms", "6", "--warmup-clients", "0"));
        assertThat(shared.has("cold")).isFalse();
        assertThat(shared.path("storm").path("joined").asLong()).isEqualTo(300);
        assertThat(shared.path("storm").path("failed").asLong()).isZero();
        assertThat(shared.path("storm").path("closesSeen").asLong()).isEqualTo(300);
        assertThat(Files.readString(dir.resolve("BENCHMARKS.md"))).contains("Reconnect storm: 300 clients");
    }
}
