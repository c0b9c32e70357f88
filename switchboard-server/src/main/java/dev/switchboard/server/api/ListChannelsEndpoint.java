package dev.switchboard.server.api;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.engine.ChannelStats;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /apps/{app_id}/channels} (PROTOCOL.md §6.5): occupied channels, optionally filtered by prefix.
 * {@code info=user_count} only when the prefix confines the list to presence channels (Pusher answers 400
 * otherwise); {@code subscription_count} only when the app counts subscriptions. Server-to-user channels are
 * internal and never listed.
 */
final class ListChannelsEndpoint implements Endpoint {
    private static final String PRESENCE_PREFIX = "presence-";

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        AppConfig config = call.app().config();
        String prefix = call.param("filter_by_prefix");
        if (prefix != null && prefix.isEmpty()) {
            prefix = null;
        }
        Set<InfoAttribute> info = InfoAttribute.parse(call.param("info"),
                EnumSet.of(InfoAttribute.USER_COUNT, InfoAttribute.SUBSCRIPTION_COUNT));
        if (info.contains(InfoAttribute.USER_COUNT) && (prefix == null || !prefix.startsWith(PRESENCE_PREFIX))) {
            throw ApiProblem.badRequest("info=user_count is only allowed with filter_by_prefix=presence-");
        }
        if (info.contains(InfoAttribute.SUBSCRIPTION_COUNT) && !config.enableSubscriptionCount()) {
            throw ApiProblem.badRequest("info=subscription_count needs subscription counting enabled for the app");
        }
        String p = prefix;
        return call.app().occupiedChannels(prefix).thenApply(occupied -> answer(occupied, p, info));
    }

    private static ApiResponse answer(Map<String, ChannelStats> occupied, String prefix, Set<InfoAttribute> info) {
        Map<String, Object> channels = new TreeMap<>();
        for (Map.Entry<String, ChannelStats> e : occupied.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(ChannelName.SERVER_TO_USER_PREFIX) || (prefix != null && !name.startsWith(prefix))) {
                continue;
            }
            if (e.getValue() != null && !e.getValue().occupied()) {
                continue;
            }
            channels.put(name, ChannelAttributes.of(name, e.getValue(), info));
        }
        return ApiResponse.ok(Map.of("channels", channels));
    }
}
