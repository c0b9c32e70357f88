package dev.switchboard.server.api;

import dev.switchboard.protocol.ChannelName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /apps/{app_id}/channels/{channel_name}/users} (PROTOCOL.md §6.7): the distinct user ids of a
 * presence channel, {@code {"users":[{"id":"1"},…]}}; an empty list (not 404) when nobody is there, so
 * pusher-http-node does not throw.
 */
final class ChannelUsersEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        ChannelName channel = ChannelPaths.channel(call);
        if (!channel.isPresence()) {
            throw ApiProblem.badRequest("Users can only be listed for presence channels");
        }
        return call.app().presenceUserIds(channel.value()).thenApply(ChannelUsersEndpoint::answer);
    }

    private static ApiResponse answer(List<String> ids) {
        List<Map<String, String>> users = new ArrayList<>(ids == null ? 0 : ids.size());
        if (ids != null) {
            for (String id : ids) {
                users.add(Map.of("id", id));
            }
        }
        return ApiResponse.ok(Map.of("users", users));
    }
}
