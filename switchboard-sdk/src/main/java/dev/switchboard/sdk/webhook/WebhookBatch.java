package dev.switchboard.sdk.webhook;

import java.util.List;

/** One verified webhook request: when the server made it ({@code time_ms}, Unix ms) and its events in order. */
public record WebhookBatch(long timeMs, List<WebhookEvent> events) {
    public WebhookBatch {
        events = List.copyOf(events);
    }
}
