package dev.switchboard.server.api;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelStats;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /apps/{app_id}/channels/{channel_name}} (PROTOCOL.md §6.6). Always reports {@code occupied};
 * {@code info} may ask for {@code user_count} (presence only), {@code subscription_count} (any channel: we
 * always know the count, so we answer rather than refuse) and {@code cache} (cache channels only; reported
 * even while the channel is vacant, because the cached event outlives its subscribers).
 */
final class ChannelInfoEndpoint implements Endpoint {
    private final Clock clock;

    ChannelInfoEndpoint(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        ChannelName channel = ChannelPaths.channel(call);
        Set<InfoAttribute> info = InfoAttribute.parse(call.param("info"), EnumSet.allOf(InfoAttribute.class));
        if (info.contains(InfoAttribute.USER_COUNT) && !channel.isPresence()) {
            throw ApiProblem.badRequest("info=user_count is only available on presence channels");
        }
        if (info.contains(InfoAttribute.CACHE) && !channel.cache()) {
            throw ApiProblem.badRequest("info=cache is only available on cache channels");
        }
        return call.app().channelStats(channel.value()).thenApply(s -> answer(channel, info, s));
    }

    private ApiResponse answer(ChannelName channel, Set<InfoAttribute> info, ChannelStats stats) {
        if (stats == null) {
            stats = ChannelStats.VACANT;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("occupied", stats.occupied());
        if (stats.occupied()) {
            out.putAll(ChannelAttributes.of(channel.value(), stats, info));
        }
        if (info.contains(InfoAttribute.CACHE)) {
            out.put("cache", cache(stats.cache()));
        }
        return ApiResponse.ok(out);
    }

    private Map<String, Object> cache(CachedEvent cached) {
        if (cached == null) {
            return null;
        }
        long ttl = cached.ttlSeconds(clock.millis());
        if (ttl <= 0) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (cached.event() != null) {
            out.put("event", cached.event());
        }
        out.put("data", cached.data());
        out.put("ttl", ttl);
        return out;
    }
}
