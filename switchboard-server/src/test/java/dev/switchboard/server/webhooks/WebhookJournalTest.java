package dev.switchboard.server.webhooks;

import static dev.switchboard.server.webhooks.Knobs.app;
import static dev.switchboard.server.webhooks.Knobs.hook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.config.AppConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-node webhook journal (webhook_journal_dir): what a restarted node replays. */
class WebhookJournalTest {
    @TempDir
    Path dir;

    private static QueuedBatch batch(int n) {
        return new QueuedBatch("run-" + n, "1", "k", "http://127.0.0.1:1/h?token=t", Map.of("X-A", "b"), "sig" + n,
                ("{\"time_ms\":" + n + ",\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"ü-" + n + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8), 1, n);
    }

    @Test
    void aReopenedJournalGivesBackWhatWasAppendedAndNotAcknowledgedInOrderAndSkipsATornTail() throws Exception {
        WebhookJournal first = WebhookJournal.open(dir);
        for (int i = 1; i <= 3; i++) {
            first.append(batch(i)).toCompletableFuture().get();
        }
        first.ack(batch(2));
        // a crash mid-write: a record without its newline
        Files.write(dir.resolve(WebhookJournal.FILE), "{\"add\":{\"id\":\"tor".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        // not closed: as after kill -9

        WebhookJournal second = WebhookJournal.open(dir);
        List<QueuedBatch> replayed = second.claim().toCompletableFuture().get();
        assertThat(replayed).extracting(QueuedBatch::id).containsExactly("run-1", "run-3");
        QueuedBatch one = replayed.get(0);
        assertThat(one.body()).isEqualTo(batch(1).body());
        assertThat(one.headers()).isEqualTo(Map.of("X-A", "b"));
        assertThat(one.url()).isEqualTo(batch(1).url());
        assertThat(one.signature()).isEqualTo("sig1");
        assertThat(second.claim().toCompletableFuture().get()).isEmpty(); // handed out once
        second.ack(one);
        second.close();

        assertThat(WebhookJournal.open(dir).claim().toCompletableFuture().get()).extracting(QueuedBatch::id)
                .containsExactly("run-3");
    }

    @Test
    void acknowledgedBatchesAreCompactedAway() throws Exception {
        WebhookJournal j = WebhookJournal.open(dir);
        j.append(batch(0)).toCompletableFuture().get();
        for (int i = 1; i <= 2 * WebhookJournal.COMPACT_RECORDS; i++) {
            j.append(batch(i)).toCompletableFuture().get();
            j.ack(batch(i));
        }
        assertThat(j.records()).isLessThan(WebhookJournal.COMPACT_RECORDS + 2);
        assertThat(j.owed()).extracting(QueuedBatch::id).containsExactly("run-0");
        j.close();
        assertThat(WebhookJournal.open(dir).claim().toCompletableFuture().get()).extracting(QueuedBatch::id)
                .containsExactly("run-0");
    }

    /**
     * A receiver down at shutdown: the batch stays in the journal (not counted as dropped), and the next start sends
     * it with the same id and the same signed bytes.
     */
    @Test
    void aBatchUndeliveredAtShutdownIsSentByTheNextStartWithTheSameId() throws Exception {
        try (Receiver down = new Receiver().answering(n -> 503)) {
            Knobs k = new Knobs();
            WebhookDispatcher d = new WebhookDispatcher(k.settings(), WebhookJournal.open(dir)).start();
            AppConfig app = app(hook(down.url()));
            d.memberAdded(app, "presence-a", "u1");
            await().atMost(Duration.ofSeconds(10)).until(() -> !down.requests().isEmpty());
            d.close();
            assertThat(d.stats().batchesLeftKept()).isEqualTo(1);
            assertThat(d.stats().eventsDropped()).isZero();
            Receiver.Request first = down.requests().get(0);

            // the batch goes where it was made for: the same URL, so the receiver comes back on its port
            int port = down.port();
            down.close();
            try (Receiver again = new Receiver(port)) {
                WebhookDispatcher next = new WebhookDispatcher(k.settings(), WebhookJournal.open(dir)).start();
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> next.stats().batchesRedelivered() == 1);
                    Receiver.Request replayed = again.requests().get(0);
                    assertThat(replayed.headers().getFirst("X-Switchboard-Webhook-Id"))
                            .isEqualTo(first.headers().getFirst("X-Switchboard-Webhook-Id"));
                    assertThat(replayed.body()).isEqualTo(first.body());
                    assertThat(replayed.headers().getFirst("X-Pusher-Signature"))
                            .isEqualTo(first.headers().getFirst("X-Pusher-Signature"));
                    assertThat(next.stats().batchesClaimed()).isEqualTo(1);
                } finally {
                    next.close();
                }
            }
        }
        assertThat(WebhookJournal.open(dir).claim().toCompletableFuture().get()).isEmpty();
    }
}
