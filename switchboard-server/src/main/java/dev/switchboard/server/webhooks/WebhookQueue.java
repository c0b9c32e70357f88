package dev.switchboard.server.webhooks;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where sealed webhook batches are kept until their receiver answered 2xx or their retry window ended, so that they
 * outlive the node that made them (docs/webhooks.md, "Delivery"). The dispatcher calls it on its webhook thread only;
 * an implementation may answer asynchronously. Three of them: {@link #MEMORY} (one node, nothing kept: a batch lives
 * as long as the node), {@link WebhookJournal} (one node, a journal on local disk that the next start replays) and
 * the Redis one in {@code cluster.redis} (streams with a consumer group per target; batches of a node whose lease
 * expired are claimed by another node).
 */
public interface WebhookQueue extends AutoCloseable {

    /**
     * Keeps {@code batch} before its first attempt. Completes once it is kept; exceptionally when it could not be (the
     * batch is then sent from memory only, and lost if this node dies before delivering it).
     */
    CompletionStage<Void> append(QueuedBatch batch);

    /** {@code batch} is done with: delivered, or given up and counted as dropped. Best effort. */
    void ack(QueuedBatch batch);

    /**
     * Batches owed by a node that is gone (a dead node's, or this node's previous run's), now this node's to deliver.
     * Called at start and then every {@link #claimEveryMillis()}.
     */
    CompletionStage<List<QueuedBatch>> claim();

    /** How often {@link #claim()} is worth calling after start; 0: at start only. */
    long claimEveryMillis();

    /** True when a batch left undelivered at shutdown stays kept for someone else (not counted as dropped). */
    boolean durable();

    @Override
    void close();

    /** Memory only: nothing survives the node. */
    WebhookQueue MEMORY = new WebhookQueue() {
        @Override
        public CompletionStage<Void> append(QueuedBatch batch) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void ack(QueuedBatch batch) {}

        @Override
        public CompletionStage<List<QueuedBatch>> claim() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public long claimEveryMillis() {
            return 0;
        }

        @Override
        public boolean durable() {
            return false;
        }

        @Override
        public void close() {}
    };
}
