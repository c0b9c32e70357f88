package dev.switchboard.sdk;

import java.util.Map;

/** {@code GET /channels}: the occupied channels (optionally filtered by prefix) with the attributes asked for. */
public record ChannelsResult(int status, Map<String, ChannelInfo> channels) {

    public ChannelsResult {
        channels = Map.copyOf(channels);
    }

    static ChannelsResult from(Transport.Answer answer) {
        return new ChannelsResult(answer.status(), TriggerResult.channelMap(answer.json().get("channels")));
    }
}
