package dev.switchboard.server.webhooks;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One node as its own process (issue 26): with {@code webhook_journal_dir}, killed -9 while its receiver is down and
 * started again, it sends what it owed, each id processed once; on Redis, a receiver down past the retry window gets
 * nothing, the drop is counted in /metrics and the batch is acknowledged in Redis (no node would take it over).
 */
class DurableWebhookNodeTest {
    private static final String TOKEN = "metrics-token-for-the-durable-test";
    private static final AppAuth AUTH = new AppAuth(SwitchboardExtension.APP_ID, SwitchboardExtension.APP_KEY,
            SwitchboardExtension.APP_SECRET, SwitchboardExtension.ENCRYPTION_MASTER_KEY);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();

    @RegisterExtension
    final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            nodes.forEach(n -> System.err.println("--- " + n.name() + " ---\n" + n.logTail(4000)));
        }
    };

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private NodeProcess node(KeepingReceiver receiver, Map<String, Object> extra, List<String> flags) throws Exception {
        Path dir = Files.createTempDirectory("switchboard-durable-");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("webhook_batch_millis", 50);
        settings.put("shutdown_drain_seconds", 0);
        settings.put("metrics_token", TOKEN);
        settings.putAll(extra);
        settings.put("apps", List.of(Map.of("id", SwitchboardExtension.APP_ID, "key", SwitchboardExtension.APP_KEY,
                "secret", SwitchboardExtension.APP_SECRET, "webhooks", List.of(Map.of("url", receiver.url())))));
        Path config = dir.resolve("config.json");
        Files.writeString(config, Json.write(settings));
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(flags);
        NodeProcess n = NodeProcess.start("solo", dir, args);
        nodes.add(n);
        open.add(n);
        return n;
    }

    @Test
    void aNodeWithAJournalKilledAndRestartedSendsWhatItOwedEachIdOnce() throws Exception {
        KeepingReceiver receiver = new KeepingReceiver();
        open.add(receiver);
        Path journal = Files.createTempDirectory("switchboard-journal-");
        NodeProcess node = node(receiver, Map.of("webhook_retry_seconds", 120),
                List.of("--webhook-journal-dir", journal.toString()));
        String channel = uniqueChannel("presence-journal");
        String user = channel + "-u";
        KeepingReceiver.enter(node.port(), AUTH, SwitchboardExtension.APP_KEY, user, channel).close();
        // joined, then left: six events, at least one attempt of each (503)
        Awaitility.await("the node tried every event").atMost(Duration.ofSeconds(20)).until(() ->
                receiver.attempted("user_online", null, user) && receiver.attempted("member_added", channel, user)
                        && receiver.attempted("channel_occupied", channel, null)
                        && receiver.attempted("user_offline", null, user)
                        && receiver.attempted("member_removed", channel, user)
                        && receiver.attempted("channel_vacated", channel, null));

        node.restart(); // kill -9, then the same flags: the journal is replayed
        receiver.up(true);

        String[][] owed = {{"user_online", null, user}, {"channel_occupied", channel, null},
            {"member_added", channel, user}, {"user_offline", null, user}, {"channel_vacated", channel, null},
            {"member_removed", channel, user}};
        Awaitility.await("every owed event processed").atMost(Duration.ofSeconds(30)).until(() -> {
            for (String[] e : owed) {
                if (receiver.processed(e[0], e[1], e[2]) < 1) {
                    return false;
                }
            }
            return true;
        });
        Awaitility.await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        for (String[] e : owed) {
            assertThat(receiver.processed(e[0], e[1], e[2])).as("%s processed by an app keeping ids", e[0]).isEqualTo(1);
        }
        assertThat(receiver.sameBytesPerId()).isTrue();
        assertThat(KeepingReceiver.metric(node.port(), TOKEN, "switchboard_webhook_batches_claimed_total"))
                .as("batches replayed from the journal").isGreaterThan(0);
    }

    @Test
    void aReceiverDownPastTheRetryWindowGetsTheBatchDroppedCountedAndAcknowledgedInRedis() throws Exception {
        KeepingReceiver receiver = new KeepingReceiver();
        open.add(receiver);
        RedisServer redis = RedisServer.start();
        open.add(redis);
        NodeProcess node = node(receiver, Map.of("webhook_retry_seconds", 2), List.of("--redis", redis.url()));
        String channel = uniqueChannel("presence-dropped");
        String user = channel + "-u";
        open.add(KeepingReceiver.enter(node.port(), AUTH, SwitchboardExtension.APP_KEY, user, channel));

        Awaitility.await("the three events dropped after the retry window").atMost(Duration.ofSeconds(30))
                .until(() -> KeepingReceiver.metric(node.port(), TOKEN, "switchboard_webhook_events_dropped_total") >= 3);
        assertThat(receiver.attempted("member_added", channel, user)).isTrue();
        assertThat(KeepingReceiver.metric(node.port(), TOKEN, "switchboard_webhook_batches_kept_total")).isGreaterThan(0);
        // given up is acknowledged: nothing of it stays in the stream for another node to take over
        String streams = redis.command("KEYS", "switchboard:{w:*");
        assertThat(streams).contains("{w:");
        for (String line : streams.split("\r?\n")) {
            if (line.contains("{w:") && line.endsWith(":q")) {
                Awaitility.await("the stream emptied").atMost(Duration.ofSeconds(10))
                        .until(() -> redis.command("XLEN", line.trim()).trim(), s -> s.equals(":0"));
            }
        }
    }
}
