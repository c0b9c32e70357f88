package dev.switchboard.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.cluster.RecordedTransitions;
import dev.switchboard.server.testing.RedisClusterServer;
import dev.switchboard.server.webhooks.QueuedBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook queue on a Redis Cluster (issue 26): the streams of different targets land on different shards (their
 * hash tags), each script stays on one slot, and a dead node's batches on every shard are claimed by another node.
 */
class RedisClusterWebhookQueueTest {
    private RedisClusterServer redis;
    private RedisNodes nodes;

    @BeforeEach
    void start() {
        redis = RedisClusterServer.start();
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

    @Test
    void targetsSpreadOverTheShardsAndADeadNodesBatchesOnEachAreClaimed() throws Exception {
        RedisCluster a = node();
        RedisCluster b = node();
        RedisWebhookQueue qa = (RedisWebhookQueue) a.webhookQueue();
        RedisWebhookQueue qb = (RedisWebhookQueue) b.webhookQueue();
        Set<String> ids = new HashSet<>();
        Set<Integer> shards = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            String app = "app-" + i;
            String url = "http://127.0.0.1:9/hooks/" + i;
            QueuedBatch batch = new QueuedBatch("x-" + i, app, "key", url, Map.of(), "sig",
                    "{\"time_ms\":1,\"events\":[]}".getBytes(StandardCharsets.UTF_8), 0, System.currentTimeMillis());
            qa.append(batch).toCompletableFuture().get(5, TimeUnit.SECONDS);
            ids.add(batch.id());
            shards.add(redis.masters().indexOf(redis.masterOf(qa.stream(app, url))));
        }
        assertThat(shards).as("streams on more than one shard").hasSizeGreaterThan(1);

        a.crash();
        Set<String> claimed = new HashSet<>();
        Awaitility.await("a's batches claimed by b").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<QueuedBatch> got = qb.claim().toCompletableFuture().get(5, TimeUnit.SECONDS);
                    for (QueuedBatch x : got) {
                        assertThat(claimed.add(x.id())).as("claimed once: %s", x.id()).isTrue();
                        qb.ack(x);
                    }
                    return claimed.equals(ids);
                });
    }
}
