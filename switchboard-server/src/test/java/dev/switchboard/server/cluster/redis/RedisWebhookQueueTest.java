package dev.switchboard.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.cluster.RecordedTransitions;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.webhooks.QueuedBatch;
import dev.switchboard.server.webhooks.WebhookQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis webhook queue (issue 26) on a real redis-server: a batch is pending for its node until acknowledged; a node
 * whose lease is gone has its pending batches claimed, each by exactly one other node; and what one batch costs in
 * Redis commands ({@code INFO commandstats}, printed as {@code [webhook-cost]}).
 */
class RedisWebhookQueueTest {
    private RedisServer redis;
    private RedisNodes nodes;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        nodes = new RedisNodes();
    }

    @AfterEach
    void stop() {
        nodes.close();
        redis.close();
    }

    private RedisCluster node() {
        RedisCluster n = nodes.start(redis);
        n.broker().start(new BrokerContract.Recorded());
        n.state().start(new RecordedTransitions());
        return n;
    }

    private static QueuedBatch batch(String id) {
        return new QueuedBatch(id, "app-1", "key", "http://127.0.0.1:9/hooks?token=t", Map.of("X-A", "b"), "sig-" + id,
                ("{\"time_ms\":1,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"ü-" + id + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8), 1, System.currentTimeMillis());
    }

    private static List<QueuedBatch> claim(WebhookQueue q) throws Exception {
        return q.claim().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDeadNodesPendingBatchesAreClaimedOnceEachByTheOthersAndNotBefore() throws Exception {
        RedisCluster a = node();
        RedisCluster b = node();
        RedisCluster c = node();
        WebhookQueue qa = a.webhookQueue();
        WebhookQueue qb = b.webhookQueue();
        WebhookQueue qc = c.webhookQueue();
        for (String id : List.of("1", "2", "3")) {
            qa.append(batch(id)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        qa.ack(batch("2"));
        // a lives: nothing of it is anyone else's
        assertThat(claim(qb)).isEmpty();
        assertThat(claim(qc)).isEmpty();

        a.crash();
        Map<String, QueuedBatch> claimed = new LinkedHashMap<>();
        List<String> claims = new ArrayList<>();
        Awaitility.await("a's batches claimed once its lease expired").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    for (WebhookQueue q : List.of(qb, qc)) {
                        for (QueuedBatch x : claim(q)) {
                            claims.add(x.id());
                            claimed.put(x.id(), x);
                        }
                    }
                    return claimed.size() == 2;
                });
        assertThat(claims).as("each claimed by one node, once").containsExactlyInAnyOrder("1", "3");
        QueuedBatch one = claimed.get("1");
        assertThat(one.body()).isEqualTo(batch("1").body());
        assertThat(one.headers()).isEqualTo(Map.of("X-A", "b"));
        assertThat(one.signature()).isEqualTo("sig-1");
        assertThat(one.url()).isEqualTo(batch("1").url());

        // the claimer delivers and acknowledges them: the stream empties, and a is forgotten
        // an ack names the entry its own queue claimed: through the other node's queue it is a no-op
        for (QueuedBatch x : claimed.values()) {
            qb.ack(x);
            qc.ack(x);
        }
        RedisWebhookQueue raw = (RedisWebhookQueue) qb;
        String stream = raw.stream("app-1", batch("1").url());
        Awaitility.await("the stream emptied").atMost(Duration.ofSeconds(10))
                .until(() -> redis.command("XLEN", stream).trim().equals(":0"));
        Awaitility.await("a forgotten").atMost(Duration.ofSeconds(10)).until(() -> {
            claim(qb);
            return !redis.command("SMEMBERS", raw.owners()).contains(a.nodeId());
        });
    }

    /**
     * A node forgotten by the others while it had no lease (cut off, fenced: nothing of it was pending) and then back,
     * or whose indexes Redis lost: its next tick writes it into the indexes again, so its batches are found if it dies.
     */
    @Test
    void aNodeForgottenByTheIndexesIsWrittenBackAtItsNextTick() throws Exception {
        RedisCluster a = node();
        RedisCluster b = node();
        RedisWebhookQueue qa = (RedisWebhookQueue) a.webhookQueue();
        WebhookQueue qb = b.webhookQueue();
        qa.append(batch("kept")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        redis.command("SREM", qa.owners(), a.nodeId());
        redis.command("DEL", qa.streamsOf(a.nodeId()));
        claim(qa);
        a.crash();
        List<String> claimed = new ArrayList<>();
        Awaitility.await("a's batch found and claimed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    claim(qb).forEach(x -> claimed.add(x.id()));
                    return !claimed.isEmpty();
                });
        assertThat(claimed).containsExactly("kept");
    }

    @Test
    void costOfOneBatchInRedisCommands() throws Exception {
        RedisLink link = new RedisLink(new RedisSettings(redis.url(), "sbtest", RedisNodes.HEARTBEAT_MILLIS,
                RedisNodes.NODE_TIMEOUT_MILLIS));
        try {
            assertThat(link.connect()).isTrue();
            link.loadScripts().get(5, TimeUnit.SECONDS);
            link.up(); // what the heartbeat does once Redis answered
            RedisWebhookQueue q = new RedisWebhookQueue(link, "n1");
            q.append(batch("warm")).toCompletableFuture().get(5, TimeUnit.SECONDS); // indexes written once
            q.ack(batch("warm"));
            Awaitility.await().until(() -> redis.command("XLEN", q.stream("app-1", batch("warm").url())).trim().equals(":0"));
            redis.command("CONFIG", "RESETSTAT");
            long trips = link.roundTrips.get();
            int n = 200;
            for (int i = 0; i < n; i++) {
                q.append(batch("b" + i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
                q.ack(batch("b" + i));
            }
            Awaitility.await().until(() -> redis.command("XLEN", q.stream("app-1", batch("warm").url())).trim().equals(":0"));
            long roundTrips = link.roundTrips.get() - trips;
            Map<String, Long> calls = new LinkedHashMap<>();
            for (String line : redis.command("INFO", "commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring(8, line.indexOf(':'));
                    long c = Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
                    if (!name.startsWith("config") && !name.equals("xlen")) { // the test's own
                        calls.put(name, c);
                    }
                }
            }
            long total = calls.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("[webhook-cost] per batch: %.2f round trips, %.2f commands executed in Redis %s%n",
                    roundTrips / (double) n, total / (double) n, calls);
            assertThat(calls.get("xadd")).isEqualTo(n);
            assertThat(calls.get("xack")).isEqualTo(n);
            assertThat(roundTrips).isEqualTo(2L * n);
        } finally {
            link.close();
        }
    }
}
