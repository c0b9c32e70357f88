package dev.switchboard.server.webhooks;

import java.net.http.HttpRequest;

/**
 * One sealed POST being delivered: its kept form, its signed request (reused verbatim on retry) and its delivery
 * state. Webhook thread only.
 */
final class WebhookBatch {
    final QueuedBatch queued;
    final HttpRequest request;
    /** Taken over from a dead node or replayed from the journal: its window runs from its time_ms. */
    final boolean resumed;
    /** Kept by the queue: acknowledged there when done, left there at shutdown. */
    boolean kept;
    int failures;
    long firstAttemptNanos;
    boolean attempted;

    WebhookBatch(QueuedBatch queued, HttpRequest request, boolean resumed) {
        this.queued = queued;
        this.request = request;
        this.resumed = resumed;
    }

    int events() {
        return queued.events();
    }
}
