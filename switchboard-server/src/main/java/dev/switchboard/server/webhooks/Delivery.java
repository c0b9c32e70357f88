package dev.switchboard.server.webhooks;

import dev.switchboard.server.logging.RateLimitedLog;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every target shares: the webhook thread, the sender, the settings, the counters. The mutable fields are
 * touched on the webhook thread only.
 */
final class Delivery {
    final ScheduledExecutorService thread;
    final WebhookSender sender;
    final WebhookSettings settings;
    final WebhookStats stats;
    final RateLimitedLog log;
    /** Set by {@code close()}: failures are no longer retried. */
    boolean closing;
    /** Called on the webhook thread whenever a batch is finished, so {@code close()} can see the end. */
    Runnable onSettled = () -> {};

    Delivery(ScheduledExecutorService thread, WebhookSender sender, WebhookSettings settings, WebhookStats stats,
             RateLimitedLog log) {
        this.thread = thread;
        this.sender = sender;
        this.settings = settings;
        this.stats = stats;
        this.log = log;
    }

    /** Runs {@code task} on the webhook thread; after shutdown it is dropped (close() has counted the rest). */
    void onWebhookThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closed) {
            // shut down: close() accounts for whatever was still pending
        }
    }
}
