package dev.switchboard.server.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.NodeProcess;
import dev.switchboard.server.testing.PipeliningSocket;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, item 2: one client pipelining subscribe/unsubscribe as fast as TCP takes them against a cluster
 * node (its own redis-server), with a small heap. Each change waits for a Redis round trip; before the bound the
 * node queued every frame's change and died of OutOfMemoryError within seconds. Now the node stops reading the
 * flooder above pending_changes_high_water_mark: it survives, its RSS stays bounded, the flooder's writes block
 * (back-pressure, counted), and a well-behaved client on the same node is served throughout. The rate limit is
 * off here so that the pending bound is what holds (the rate is tested in ChangeGateTest).
 */
class ChangeFloodTest {
    private static final String TOKEN = "flood-metrics-token-0123";
    private static final Duration FLOOD = Duration.ofSeconds(8);
    private static final Pattern PAUSED = Pattern.compile("(?m)^switchboard_edge_reads_paused_total (\\S+)");

    @Test
    void aPipelinedFloodOnAClusterNodeGetsBackPressureNotMemory() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-flood-");
        try (RedisServer redis = RedisServer.start();
             NodeProcess node = NodeProcess.start("flood", dir,
                     List.of("--host", "127.0.0.1", "--redis", redis.url(), "--max-subscription-changes-per-second", "0",
                             "--metrics-token", TOKEN),
                     List.of("-Xmx64m"), 0)) {
            long rssBefore = node.rssKib();
            RawSocket good = RawSocket.open(node.port(), "app-key");
            good.awaitEvent("pusher:connection_established");
            PipeliningSocket flooder = PipeliningSocket.open(node.port(), "app-key");
            // A client sends frames only once the upgrade is answered (RFC 6455 §4.1; pusher-js waits for
            // connection_established): frames written before the 101 were at times read with the request and answered
            // with 1002, ending the flood before any back-pressure (1 run in ~10 in the full suite).
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> flooder.recent().contains("connection_established"));
            Thread flood = new Thread(() -> {
                long end = System.nanoTime() + FLOOD.toNanos();
                while (System.nanoTime() < end) {
                    if (!flooder.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"flood\"}}")
                            || !flooder.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"flood\"}}")) {
                        return;
                    }
                }
            }, "flooder");
            flood.setDaemon(true);
            flood.start();
            long rssMax = rssBefore;
            int served = 0;
            while (flood.isAlive()) {
                // The good client's subscriptions go through the same Redis, on the same node, during the flood.
                String channel = "good-" + served;
                good.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
                Awaitility.await("the good client's subscription " + channel + " during the flood")
                        .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> good.frames().stream().anyMatch(f -> f.contains("subscription_succeeded")
                                && f.contains("\"" + channel + "\"")));
                served++;
                rssMax = Math.max(rssMax, node.rssKib());
                // Pacing, not waiting: the good client asks every 200 ms for as long as the flood lasts.
                Thread.sleep(200);
            }
            assertThat(node.running()).as("node alive after the flood\n" + node.logTail(3000)).isTrue();
            rssMax = Math.max(rssMax, node.rssKib());
            double paused = metric(node.port(), PAUSED);
            System.out.printf("[flood] RSS before %d MiB, max during %d s of flood %d MiB; flooder frames sent %d; "
                    + "reads paused %.0f times; good client served %d subscriptions%n", rssBefore / 1024,
                    FLOOD.toSeconds(), rssMax / 1024, flooder.framesSent(), paused, served);
            assertThat(paused).as("the flooder met back-pressure").isGreaterThan(0);
            assertThat(served).isGreaterThan(3);
            // A 64 MiB heap and a JVM's own needs; the unbounded queue reached 2.5 GiB on a larger heap.
            assertThat(rssMax).as("RSS during the flood, KiB").isLessThan(rssBefore + 192 * 1024);
            flooder.close();
            good.close();
        }
    }

    /**
     * What was read before reading stopped still queues, up to max_pending_changes; past it frames are refused with
     * 4301 and not queued. Redis is frozen so that nothing completes while ten subscribes arrive in one read.
     */
    @Test
    void framesPastMaxPendingChangesAreRefusedAndTheOthersApplyOnceRedisAnswers() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-pending-");
        try (RedisServer redis = RedisServer.start();
             NodeProcess node = NodeProcess.start("pending", dir,
                     List.of("--host", "127.0.0.1", "--redis", redis.url(), "--pending-changes-high-water-mark", "2",
                             "--max-pending-changes", "4"), List.of(), 0);
             PipeliningSocket client = PipeliningSocket.open(node.port(), "app-key")) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.recent().contains("connection_established"));
            List<String> subscribes = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                subscribes.add("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"c" + i + "\"}}");
            }
            redis.freeze();
            try {
                client.sendAll(subscribes);
                Awaitility.await("six refusals").atMost(Duration.ofSeconds(10))
                        .until(() -> count(client.recent(), "(max_pending_changes)") == 6);
            } finally {
                redis.thaw();
            }
            Awaitility.await("the four queued subscriptions").atMost(Duration.ofSeconds(20))
                    .until(() -> count(client.recent(), "subscription_succeeded") == 4);
            // Reading resumed: the connection is usable again.
            client.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.recent().contains("pusher:pong"));
            assertThat(client.recent()).contains("\"c0\"", "\"c3\"").doesNotContain("succeeded\",\"channel\":\"c4\"");
        }
    }

    private static int count(String text, String fragment) {
        int n = 0;
        for (int i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + 1)) {
            n++;
        }
        return n;
    }

    private static double metric(int port, Pattern p) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = p.matcher(r.body());
        assertThat(m.find()).as("metric in\n" + r.body().lines().filter(l -> l.contains("paused")).toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
