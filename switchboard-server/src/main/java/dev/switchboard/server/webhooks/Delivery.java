package dev.switchboard.server.webhooks;

import dev.switchboard.server.logging.RateLimitedLog;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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
    final WebhookQueue queue;
    /** (app id, URL) → its lane; webhook thread only. */
    private final Map<String, DeliveryLane> lanes = new HashMap<>();
    /** Batch ids: this run's random prefix and a counter, so an id is never reused by any node or any run. */
    private final String idPrefix = String.format("%016x", new SecureRandom().nextLong());
    private long nextId;
    /** Set by {@code close()}: failures are no longer retried. */
    boolean closing;
    /** Called on the webhook thread whenever a batch is finished, so {@code close()} can see the end. */
    Runnable onSettled = () -> {};

    Delivery(ScheduledExecutorService thread, WebhookSender sender, WebhookSettings settings, WebhookStats stats,
             RateLimitedLog log, WebhookQueue queue) {
        this.queue = queue;
        this.thread = thread;
        this.sender = sender;
        this.settings = settings;
        this.stats = stats;
        this.log = log;
    }

    /** The lane of (app, URL), made on first use. */
    DeliveryLane lane(String appId, String url) {
        return lanes.computeIfAbsent(appId + "\n" + url, k -> new DeliveryLane(this, appId, url));
    }

    Collection<DeliveryLane> lanes() {
        return lanes.values();
    }

    /** A new batch id: {@code <16 hex digits of this run>-<sequence>}; the sequence grows with each batch sealed. */
    String nextId() {
        return idPrefix + "-" + (++nextId);
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
