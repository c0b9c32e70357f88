package dev.switchboard.sdk;

import java.util.List;

/**
 * Optional parts of a trigger: the socket that must not receive the event (the sender's own), and the
 * channel attributes to return ({@code user_count}, {@code subscription_count}).
 */
public record TriggerOptions(String socketId, List<String> info) {
    public static final TriggerOptions NONE = new TriggerOptions(null, List.of());

    public TriggerOptions {
        if (socketId != null) {
            Checks.socketId(socketId);
        }
        info = info == null ? List.of() : List.copyOf(info);
    }

    public static TriggerOptions excluding(String socketId) {
        return new TriggerOptions(Checks.notNull(socketId, "socket id"), List.of());
    }

    public TriggerOptions withSocketId(String id) {
        return new TriggerOptions(id, info);
    }

    public TriggerOptions withInfo(String... attributes) {
        return new TriggerOptions(socketId, List.of(attributes));
    }
}
