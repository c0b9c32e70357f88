package dev.switchboard.demo;

import dev.switchboard.sdk.SwitchboardClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The moderated chat room: a presence channel joined through sign-in, messages relayed by the server (so a
 * banned user's messages stop at once), and bans: a banned user is terminated everywhere and refused at the
 * next sign-in and channel auth.
 */
final class Chat {
    static final String ROOM = "presence-chat";
    static final int MAX_MESSAGE_CHARS = 500;

    private final SwitchboardClient switchboard;
    private final Set<String> banned = ConcurrentHashMap.newKeySet();

    Chat(SwitchboardClient switchboard) {
        this.switchboard = switchboard;
    }

    boolean isBanned(String userId) {
        return banned.contains(userId);
    }

    void say(Session from, String text) {
        switchboard.trigger(ROOM, "message", Map.of("user", from.userId(), "name", from.name(), "text", text));
    }

    /** Bans and disconnects the user: every signed-in connection of theirs is closed with 4009. */
    void ban(Session moderator, String userId) {
        banned.add(userId);
        switchboard.terminateUserConnections(userId);
        switchboard.trigger(ROOM, "banned", Map.of("user", userId, "by", moderator.name()));
    }
}
