package dev.switchboard.sdk;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Argument checks made before anything is signed or sent (PROTOCOL.md §2.2, §5.3, §6.3, §6.9): a bad
 * argument is the caller's bug and fails at once with an {@link IllegalArgumentException} that says what
 * is wrong, instead of a 400 from the server later.
 */
final class Checks {
    /** The HTTP API accepts names up to 200 characters (the SDKs' limit); subscriptions allow 164. */
    static final int MAX_CHANNEL_NAME = 200;
    static final int MAX_EVENT_NAME = 200;
    static final int MAX_CHANNELS_PER_TRIGGER = 100;
    private static final Pattern SOCKET_ID = Pattern.compile("^\\d+\\.\\d+$");

    private Checks() {}

    static <T> T notNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }

    /** An app channel name, or {@code #server-to-user-<valid id>}. */
    static String channel(String name) {
        notNull(name, "channel name");
        String problem = ChannelName.problem(name, MAX_CHANNEL_NAME);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    static void channels(Collection<String> names) {
        notNull(names, "channels");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("At least one channel is needed");
        }
        if (names.size() > MAX_CHANNELS_PER_TRIGGER) {
            throw new IllegalArgumentException("Too many channels: " + names.size() + " (at most "
                    + MAX_CHANNELS_PER_TRIGGER + " per trigger)");
        }
        boolean encrypted = false;
        for (String name : names) {
            channel(name);
            encrypted |= isEncrypted(name);
        }
        if (encrypted && names.size() > 1) {
            throw new IllegalArgumentException("An event for a private-encrypted- channel must go to that one channel only");
        }
    }

    static boolean isEncrypted(String channel) {
        return ChannelName.of(channel).type() == ChannelType.PRIVATE_ENCRYPTED;
    }

    static boolean isPresence(String channel) {
        return ChannelName.of(channel).type() == ChannelType.PRESENCE;
    }

    static String presenceChannel(String name) {
        channel(name);
        if (!isPresence(name)) {
            throw new IllegalArgumentException("Not a presence channel: " + name);
        }
        return name;
    }

    static String eventName(String name) {
        notNull(name, "event name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Event name must not be empty");
        }
        if (name.length() > MAX_EVENT_NAME) {
            throw new IllegalArgumentException("Event name too long (" + name.length() + " characters, at most "
                    + MAX_EVENT_NAME + ")");
        }
        return name;
    }

    static String socketId(String socketId) {
        notNull(socketId, "socket id");
        if (!SOCKET_ID.matcher(socketId).matches()) {
            throw new IllegalArgumentException("Invalid socket id: '" + socketId + "' (expected digits.digits)");
        }
        return socketId;
    }

    /** User ids use the channel-name alphabet, 1–200 characters (Pusher docs, "Authenticating users"). */
    static String userId(String id) {
        notNull(id, "user id");
        if (!ChannelName.isValidUserId(id)) {
            throw new IllegalArgumentException("Invalid user id: '" + id
                    + "' (1-200 characters of A-Z a-z 0-9 _ - = @ , . ;)");
        }
        return id;
    }

    static String eventData(String data, int maxBytes) {
        int size = data.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new IllegalArgumentException("Event data too large: " + size + " bytes (at most " + maxBytes + ")");
        }
        return data;
    }
}
