package dev.switchboard.protocol;

import java.util.List;
import java.util.Map;

/** A frame sent to clients. {@link WireCodec#encode} turns each into the exact bytes of PROTOCOL.md §0. */
public sealed interface ServerMessage {

    record ConnectionEstablished(String socketId, int activityTimeoutSeconds) implements ServerMessage {}

    /** {@code code} null is legal and is what Pusher sends for subscription problems. */
    record Error(Integer code, String message) implements ServerMessage {
        public static Error of(CloseCode code) { return new Error(code.code(), code.text()); }

        public static Error of(CloseCode code, String message) { return new Error(code.code(), message); }

        public static Error plain(String message) { return new Error(null, message); }
    }

    record Pong() implements ServerMessage {}

    record SubscriptionSucceeded(String channel) implements ServerMessage {}

    /**
     * Presence roster: user id to user_info as JSON text ({@code null} text for a member without info).
     * The map's iteration order is the order of {@code ids}.
     */
    record PresenceSubscriptionSucceeded(String channel, Map<String, String> members) implements ServerMessage {}

    record MemberAdded(String channel, String userId, String userInfoJson) implements ServerMessage {}

    record MemberRemoved(String channel, String userId) implements ServerMessage {}

    record SubscriptionCount(String channel, int count) implements ServerMessage {}

    record CacheMiss(String channel) implements ServerMessage {}

    /**
     * An app event on a channel. {@code dataJson} is the data as JSON text: for HTTP API events the JSON
     * string literal of the data string, for client events the value the client sent. {@code userId} is
     * set only for client events on presence channels.
     */
    record ChannelEvent(String event, String channel, String dataJson, String userId) implements ServerMessage {}

    record SigninSuccess(String userData) implements ServerMessage {}

    /** Empty lists are omitted from the frame (PROTOCOL.md §5.10). */
    record WatchlistEvents(List<String> online, List<String> offline) implements ServerMessage {}
}
