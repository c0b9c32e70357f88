package dev.switchboard.server.api;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;

/** The {@code {channel_name}} path parameter, validated like a triggered channel name. */
final class ChannelPaths {
    private ChannelPaths() {}

    /** A 400 for names no trigger could create, and for internal server-to-user channels. */
    static ChannelName channel(ApiCall call) {
        String name = call.pathParam();
        int limit = Math.max(TriggerParser.SDK_CHANNEL_NAME_LIMIT, call.app().config().maxChannelNameLength());
        String problem = ChannelName.problem(name, limit);
        if (problem != null) {
            throw ApiProblem.badRequest(problem);
        }
        ChannelName channel = ChannelName.of(name);
        if (channel.type() == ChannelType.SERVER_TO_USER) {
            throw ApiProblem.badRequest("Server-to-user channels are internal; use the users API");
        }
        return channel;
    }
}
