package dev.switchboard.server.api;

import dev.switchboard.server.engine.AppEngine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /apps/{app_id}/events} (PROTOCOL.md §6.3): publish one event to 1..maxChannelsPerTrigger
 * channels, including {@code #server-to-user-<id>} (sendToUser, §5.8). Answers {@code {}}, or the requested
 * {@code info} per channel as {@code {"channels":{…}}}.
 */
final class TriggerEventEndpoint implements Endpoint {

    @Override
    public ApiResponse handle(ApiCall call) {
        AppEngine app = call.app();
        Trigger trigger = TriggerParser.parse(call.jsonObject(), app.config(), app.config().maxChannelsPerTrigger(), "");
        publish(app, trigger);
        if (trigger.info().isEmpty()) {
            return ApiResponse.ok(Map.of());
        }
        return ApiResponse.ok(Map.of("channels", info(app, trigger)));
    }

    static void publish(AppEngine app, Trigger trigger) {
        for (String channel : trigger.channels()) {
            app.trigger(channel, trigger.name(), trigger.data(), trigger.socketId());
        }
    }

    /** One entry per channel, in the order given. */
    static Map<String, Object> info(AppEngine app, Trigger trigger) {
        Map<String, Object> channels = new LinkedHashMap<>();
        for (String channel : trigger.channels()) {
            channels.put(channel, ChannelAttributes.query(app, channel, trigger.info()));
        }
        return channels;
    }
}
