package dev.switchboard.server.webhooks;

import java.net.http.HttpRequest;

/** One sealed POST: its signed request (reused verbatim on retry) and its delivery state. Webhook thread only. */
final class WebhookBatch {
    final HttpRequest request;
    final int events;
    int failures;
    long firstAttemptNanos;
    boolean attempted;

    WebhookBatch(HttpRequest request, int events) {
        this.request = request;
        this.events = events;
    }
}
