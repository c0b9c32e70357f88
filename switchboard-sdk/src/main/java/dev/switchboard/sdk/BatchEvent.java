package dev.switchboard.sdk;

import java.util.List;

/**
 * One event of {@code triggerBatch}: one channel, an event name, data (a String as it is, anything else as
 * JSON; encrypted for a {@code private-encrypted-} channel), and optionally a socket to exclude and the
 * channel attributes to return.
 */
public record BatchEvent(String channel, String name, Object data, String socketId, List<String> info) {

    public BatchEvent {
        Checks.channel(channel);
        Checks.eventName(name);
        Checks.notNull(data, "event data");
        if (socketId != null) {
            Checks.socketId(socketId);
        }
        info = info == null ? List.of() : List.copyOf(info);
    }

    public static BatchEvent of(String channel, String name, Object data) {
        return new BatchEvent(channel, name, data, null, List.of());
    }

    public BatchEvent excluding(String id) {
        return new BatchEvent(channel, name, data, id, info);
    }

    public BatchEvent withInfo(String... attributes) {
        return new BatchEvent(channel, name, data, socketId, List.of(attributes));
    }
}
