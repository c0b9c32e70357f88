package dev.switchboard.server.webhooks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of webhook delivery, for metrics and tests. Batches are POST bodies; every dropped event is also
 * counted in {@link #eventsDropped()}. Thread-safe; reads are cheap.
 */
public final class WebhookStats {
    final AtomicLong batchesSent = new AtomicLong();
    final AtomicLong eventsSent = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong droppedQueueFull = new AtomicLong();
    final AtomicLong droppedAfterRetries = new AtomicLong();
    final AtomicLong droppedRejected = new AtomicLong();
    final AtomicLong droppedOnClose = new AtomicLong();
    final AtomicLong droppedOverload = new AtomicLong();
    final AtomicLong eventsDropped = new AtomicLong();
    final AtomicLong leavesCancelled = new AtomicLong();
    final AtomicLong cacheMissesSuppressed = new AtomicLong();
    final AtomicLong queuedBatches = new AtomicLong();
    final AtomicLong batchesKept = new AtomicLong();
    final AtomicLong batchesClaimed = new AtomicLong();
    final AtomicLong batchesRedelivered = new AtomicLong();
    final AtomicLong batchesLeftKept = new AtomicLong();
    private final Map<String, AppWebhookStats> apps = new ConcurrentHashMap<>();

    /** The counters of one app (by id), made on first use. */
    public AppWebhookStats app(String appId) {
        return apps.computeIfAbsent(appId, id -> new AppWebhookStats());
    }

    /** POSTs answered with a 2xx. */
    public long batchesSent() { return batchesSent.get(); }

    /** Events in those POSTs. */
    public long eventsSent() { return eventsSent.get(); }

    /** Attempts that failed: any non-2xx answer, a timeout or a connection error (each retried while time remains). */
    public long failedAttempts() { return failedAttempts.get(); }

    /** Batches dropped, oldest first, because a target's queue was full. */
    public long droppedQueueFull() { return droppedQueueFull.get(); }

    /** Batches dropped because retries ran out of time. */
    public long droppedAfterRetries() { return droppedAfterRetries.get(); }

    /** Batches that could never be sent: an unusable URL or a request the HTTP client refuses to build. */
    public long droppedRejected() { return droppedRejected.get(); }

    /** Batches still undelivered when the server shut down. */
    public long droppedOnClose() { return droppedOnClose.get(); }

    /** Engine events dropped before batching because the webhook thread was too far behind. */
    public long droppedOverload() { return droppedOverload.get(); }

    /** Every event lost, whatever the reason. */
    public long eventsDropped() { return eventsDropped.get(); }

    /** Leave events (vacated, member_removed, user_offline) cancelled with their re-join inside the delay. */
    public long leavesCancelled() { return leavesCancelled.get(); }

    /** cache_miss events suppressed as duplicates. */
    public long cacheMissesSuppressed() { return cacheMissesSuppressed.get(); }

    /** Batches currently waiting, in flight or waiting for a retry, over all targets (memory gauge). */
    public long queuedBatches() { return queuedBatches.get(); }

    /** Batches kept by a durable queue (Redis, or the journal) before their first attempt. */
    public long batchesKept() { return batchesKept.get(); }

    /** Batches taken over: claimed from a node whose lease expired, or replayed from the journal at start. */
    public long batchesClaimed() { return batchesClaimed.get(); }

    /** Of those, batches delivered (2xx) by this node. */
    public long batchesRedelivered() { return batchesRedelivered.get(); }

    /** Batches still undelivered at shutdown and left in the durable queue for another node or the next start. */
    public long batchesLeftKept() { return batchesLeftKept.get(); }

    @Override
    public String toString() {
        return "WebhookStats{sent=" + batchesSent() + " batches/" + eventsSent() + " events, failedAttempts="
                + failedAttempts() + ", droppedQueueFull=" + droppedQueueFull() + ", droppedAfterRetries="
                + droppedAfterRetries() + ", droppedRejected=" + droppedRejected() + ", droppedOnClose="
                + droppedOnClose() + ", droppedOverload=" + droppedOverload() + ", eventsDropped=" + eventsDropped()
                + ", queued=" + queuedBatches() + ", kept=" + batchesKept() + ", claimed=" + batchesClaimed()
                + ", redelivered=" + batchesRedelivered() + ", leftKept=" + batchesLeftKept() + "}";
    }
}
