package dev.switchboard.server.api;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.engine.ChannelStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code {"user_count":…,"subscription_count":…}} object reported for one channel by trigger responses
 * and the channel list. {@code user_count} only exists on presence channels, so it is left out elsewhere;
 * a server-to-user channel is internal and reports nothing.
 */
final class ChannelAttributes {
    private ChannelAttributes() {}

    static CompletableFuture<Map<String, Object>> query(AppEngine app, String channel, Set<InfoAttribute> info) {
        if (info.isEmpty() || ChannelName.of(channel).type() == ChannelType.SERVER_TO_USER) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return app.channelStats(channel).thenApply(stats -> of(channel, stats, info)).toCompletableFuture();
    }

    static Map<String, Object> of(String channel, ChannelStats stats, Set<InfoAttribute> info) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (stats == null) {
            stats = ChannelStats.VACANT;
        }
        if (info.contains(InfoAttribute.USER_COUNT) && ChannelName.of(channel).isPresence()) {
            out.put(InfoAttribute.USER_COUNT.wireName(), Math.max(0, stats.userCount()));
        }
        if (info.contains(InfoAttribute.SUBSCRIPTION_COUNT)) {
            out.put(InfoAttribute.SUBSCRIPTION_COUNT.wireName(), stats.subscriptionCount());
        }
        return out;
    }
}
