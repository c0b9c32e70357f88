package dev.switchboard.demo;

import dev.switchboard.sdk.SwitchboardClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The moderated chat room: a presence channel joined through sign-in, messages relayed by the server (so a
 * banned user's messages stop at once), and bans: a banned user is terminated everywhere and banned by the server
 * for {@link #BAN} (its sign-ins refused on every node whatever an auth endpoint signs, so a stale auth path of the
 * app cannot let it back), and refused by this app at the next sign-in and channel auth as well.
 */
final class Chat {
    static final String ROOM = "presence-chat";
    static final int MAX_MESSAGE_CHARS = 500;
    /** How long the server refuses a banned user's sign-ins (at most the server's max_ban_seconds). */
    static final Duration BAN = Duration.ofHours(1);

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

    /**
     * Bans and disconnects the user: the server records the ban, then closes every signed-in connection of theirs
     * with 4009 (issue 25: terminate with ban_seconds).
     */
    void ban(Session moderator, String userId) {
        banned.add(userId);
        switchboard.terminateAndBan(userId, BAN);
        switchboard.trigger(ROOM, "banned", Map.of("user", userId, "by", moderator.name()));
    }
}
