package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.engine.AppEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /apps/{app_id}/batch_events} (PROTOCOL.md §6.4): up to maxBatchEvents events, one channel
 * each. Every item is validated before any is published, so a bad batch publishes nothing. Answers {@code {}},
 * or, when any item asked for {@code info}, {@code {"batch":[…]}} aligned with the items.
 */
final class TriggerBatchEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        AppEngine app = call.app();
        JsonNode batch = call.jsonObject().get("batch");
        if (batch == null || !batch.isArray()) {
            throw ApiProblem.badRequest("Missing required field: batch (an array of events)");
        }
        int limit = app.config().maxBatchEvents();
        if (batch.size() > limit) {
            throw ApiProblem.badRequest("Batch too large: " + batch.size() + " events (limit " + limit + ")");
        }
        List<Trigger> triggers = new ArrayList<>(batch.size());
        boolean anyInfo = false;
        for (int i = 0; i < batch.size(); i++) {
            Trigger t = TriggerParser.parse(batch.get(i), app.config(), 1, "batch[" + i + "]: ");
            triggers.add(t);
            anyInfo |= !t.info().isEmpty();
        }
        for (Trigger t : triggers) {
            TriggerEventEndpoint.publish(app, t);
        }
        if (!anyInfo) {
            return Endpoint.now(ApiResponse.ok(Map.of()));
        }
        List<CompletableFuture<Map<String, Object>>> queries = new ArrayList<>(triggers.size());
        for (Trigger t : triggers) {
            // One channel per item: the item's entry is that channel's attributes.
            queries.add(ChannelAttributes.query(app, t.channels().get(0), t.info()));
        }
        return CompletableFuture.allOf(queries.toArray(new CompletableFuture[0])).thenApply(x -> {
            List<Object> out = new ArrayList<>(queries.size());
            for (CompletableFuture<Map<String, Object>> q : queries) {
                out.add(q.join());
            }
            return ApiResponse.ok(Map.of("batch", out));
        });
    }
}
