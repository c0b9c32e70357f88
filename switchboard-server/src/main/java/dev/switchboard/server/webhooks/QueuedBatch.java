package dev.switchboard.server.webhooks;

import java.util.Map;

/**
 * One sealed webhook POST in the form a {@link WebhookQueue} keeps: everything needed to send it again, on this
 * node or on another one that takes it over, without the app's config (the signature is computed once, by the node
 * that made the batch, over these body bytes).
 *
 * @param id         the {@code X-Switchboard-Webhook-Id}: the same on every attempt, on every node
 * @param appId      for logs and per-app counters
 * @param appKey     the {@code X-Pusher-Key}
 * @param url        where it goes, as configured (user info and query included)
 * @param headers    the target's extra headers
 * @param signature  {@code X-Pusher-Signature}: hex HMAC-SHA256 of {@code body} with the app secret
 * @param body       the JSON body, UTF-8
 * @param events     events in it (for counters)
 * @param timeMillis the body's {@code time_ms}: when the batch was made; a taken-over batch's retry window starts here
 */
public record QueuedBatch(String id, String appId, String appKey, String url, Map<String, String> headers,
                          String signature, byte[] body, int events, long timeMillis) {

    public QueuedBatch {
        headers = Map.copyOf(headers);
    }
}
