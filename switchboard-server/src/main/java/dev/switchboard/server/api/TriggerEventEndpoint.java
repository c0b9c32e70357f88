package dev.switchboard.server.api;

import dev.switchboard.server.engine.AppEngine;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /apps/{app_id}/events} (PROTOCOL.md §6.3): publish one event to 1..maxChannelsPerTrigger
 * channels, including {@code #server-to-user-<id>} (sendToUser, §5.8). Answers {@code {}}, or the requested
 * {@code info} per channel as {@code {"channels":{…}}}.
 */
final class TriggerEventEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        AppEngine app = call.app();
        Trigger trigger = TriggerParser.parse(call.jsonObject(), app.config(), app.config().maxChannelsPerTrigger(), "");
        publish(app, trigger);
        if (trigger.info().isEmpty()) {
            return Endpoint.now(ApiResponse.ok(Map.of()));
        }
        return info(app, trigger).thenApply(channels -> ApiResponse.ok(Map.of("channels", channels)));
    }

    static void publish(AppEngine app, Trigger trigger) {
        for (String channel : trigger.channels()) {
            app.trigger(channel, trigger.name(), trigger.data(), trigger.socketId());
        }
    }

    /** One entry per channel, in the order given. */
    static CompletionStage<Map<String, Object>> info(AppEngine app, Trigger trigger) {
        List<CompletableFuture<Map<String, Object>>> queries = new ArrayList<>();
        for (String channel : trigger.channels()) {
            queries.add(ChannelAttributes.query(app, channel, trigger.info()));
        }
        return CompletableFuture.allOf(queries.toArray(new CompletableFuture[0])).thenApply(x -> {
            Map<String, Object> channels = new LinkedHashMap<>();
            for (int i = 0; i < queries.size(); i++) {
                channels.put(trigger.channels().get(i), queries.get(i).join());
            }
            return channels;
        });
    }
}
