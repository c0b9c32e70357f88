package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.AppAuth;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.KeepingReceiver;
import dev.switchboard.server.testing.NodeProcess;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Webhooks that outlive the node that owed them (issue 26): three node processes on one Redis and a receiver that
 * answers 503 for a while. A user signs in and joins a presence channel on node 1 (user_online, channel_occupied,
 * member_added), node 1 tries to deliver them and fails, then node 1 goes (kill -9, or SIGTERM as in a rolling
 * deploy) before the receiver recovers. Once it does, every event node 1 owed arrives, sent by a node that claimed
 * node 1's batches from Redis, and an app that keeps ids processes each exactly once. The time from node 1's end to
 * the first of its batches delivered elsewhere (from the signal, the node's own shutdown included) is printed ({@code [webhook-takeover]}).
 */
class WebhookTakeoverTest {
    private static final int HEARTBEAT = 250;
    private static final int NODE_TIMEOUT = 2000;
    private static final String TOKEN = "metrics-token-for-the-takeover-test";

    private static RedisServer redis;
    private static KeepingReceiver receiver;
    private static final List<NodeProcess> nodes = new ArrayList<>();
    private static final AppAuth auth = new AppAuth(SwitchboardExtension.APP_ID, SwitchboardExtension.APP_KEY,
            SwitchboardExtension.APP_SECRET, SwitchboardExtension.ENCRYPTION_MASTER_KEY);

    @RegisterExtension
    static final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            nodes.forEach(n -> System.err.println("--- " + n.name() + " ---\n" + n.logTail(4000)));
        }
    };

    @BeforeAll
    static void start() throws Exception {
        receiver = new KeepingReceiver();
        redis = RedisServer.start();
        Path dir = Files.createTempDirectory("switchboard-takeover-");
        Path config = dir.resolve("config.json");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("cluster_heartbeat_millis", HEARTBEAT);
        settings.put("cluster_node_timeout_millis", NODE_TIMEOUT);
        settings.put("webhook_batch_millis", 50);
        settings.put("webhook_leave_delay_millis", 300);
        settings.put("webhook_retry_seconds", 120);
        settings.put("shutdown_drain_seconds", 0);
        settings.put("shutdown_grace_seconds", 2);
        settings.put("metrics_token", TOKEN);
        settings.put("apps", List.of(Map.of("id", SwitchboardExtension.APP_ID, "key", SwitchboardExtension.APP_KEY,
                "secret", SwitchboardExtension.APP_SECRET, "webhooks", List.of(Map.of("url", receiver.url())))));
        Files.writeString(config, Json.write(settings));
        for (int i = 1; i <= 3; i++) {
            nodes.add(NodeProcess.start("node" + i, dir, List.of("--config", config.toString(), "--redis", redis.url())));
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(NodeProcess::close);
        if (redis != null) {
            redis.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void batchesOfANodeKilledWithSigkillAreDeliveredByAnotherNodeEachIdOnce() {
        run("kill-9", NodeProcess::kill9);
    }

    @Test
    void batchesOfANodeStoppedWithSigtermAreDeliveredByAnotherNodeEachIdOnce() {
        run("sigterm", NodeProcess::terminate);
    }

    private void run(String how, java.util.function.Consumer<NodeProcess> end) {
        NodeProcess one = nodes.get(0);
        if (!one.running()) {
            one.restart();
        }
        receiver.up(false);
        String channel = uniqueChannel("presence-owed");
        String user = channel + "-u";
        KeepingReceiver.enter(one.port(), auth, SwitchboardExtension.APP_KEY, user, channel);
        // node 1 made its batches, kept them in Redis and tried them: the receiver answered 503
        Awaitility.await("node 1 tried the owed events").atMost(Duration.ofSeconds(20)).until(() ->
                receiver.attempted("user_online", null, user) && receiver.attempted("channel_occupied", channel, null)
                        && receiver.attempted("member_added", channel, user));
        double claimedBefore = claimed();
        long ended = System.nanoTime();
        end.accept(one);
        receiver.up(true);

        Awaitility.await("every owed event processed").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() ->
                        receiver.processed("user_online", null, user) >= 1
                                && receiver.processed("channel_occupied", channel, null) >= 1
                                && receiver.processed("member_added", channel, user) >= 1);
        long tookMillis = (System.nanoTime() - ended) / 1_000_000;
        // node 1's leaves: decided by node 1 itself at SIGTERM (and left in Redis with the joins), or by the node
        // that cleaned node 1 up after kill -9
        Awaitility.await("the leaves processed").atMost(Duration.ofSeconds(60)).until(() ->
                receiver.processed("user_offline", null, user) >= 1
                        && receiver.processed("channel_vacated", channel, null) >= 1
                        && receiver.processed("member_removed", channel, user) >= 1);
        // a late duplicate id would show after the first agreement: watch a little longer
        Awaitility.await().pollDelay(Duration.ofSeconds(2)).until(() -> true);

        for (String[] e : new String[][] {{"user_online", null, user}, {"channel_occupied", channel, null},
            {"member_added", channel, user}, {"user_offline", null, user}, {"channel_vacated", channel, null},
            {"member_removed", channel, user}}) {
            assertThat(receiver.processed(e[0], e[1], e[2])).as("%s processed by an app keeping ids", e[0]).isEqualTo(1);
        }
        assertThat(receiver.sameBytesPerId()).as("every attempt of one id sends the same bytes").isTrue();
        assertThat(claimed()).as("batches claimed from node 1 by the others").isGreaterThan(claimedBefore);
        System.out.println("[webhook-takeover] " + how + ": node 1's batches delivered by another node " + tookMillis
                + " ms after the signal (lease " + NODE_TIMEOUT + " ms, heartbeat " + HEARTBEAT + " ms)");
    }

    private static double claimed() {
        double sum = 0;
        for (NodeProcess n : nodes.subList(1, nodes.size())) {
            sum += KeepingReceiver.metric(n.port(), TOKEN, "switchboard_webhook_batches_claimed_total");
        }
        return sum;
    }
}
