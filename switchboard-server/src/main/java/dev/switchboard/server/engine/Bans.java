package dev.switchboard.server.engine;

import java.util.concurrent.CompletionStage;

/**
 * Bans the server enforces (docs/users.md, "Bans"): while a user is banned, every sign-in of it is refused on every
 * node, whatever the app's auth endpoint signs. A ban is one fact on the user (its end), kept where the user's
 * sign-ins are decided ({@link OnlineUsers#signIn} reads it in the same step that counts the user online), so a
 * sign-in decided after the ban's stage completed is refused, on any node; one decided before it is already counted
 * and its connection already indexed on its node, so the termination that follows the ban reaches it. A ban ends by
 * itself at its end (nothing is told then) or when lifted. Every call may fail (the HTTP API answers 503 then).
 */
public interface Bans {

    /**
     * Bans the user for {@code millis} from now, replacing any ban it has (a shorter one shortens it). Completes once
     * recorded, with the ban's end (epoch milliseconds).
     */
    CompletionStage<Long> ban(String appId, String userId, long millis);

    /** Lifts the user's ban; true when there was one. */
    CompletionStage<Boolean> lift(String appId, String userId);

    /** The end of the user's ban (epoch milliseconds), 0 when it has none. */
    CompletionStage<Long> bannedUntil(String appId, String userId);
}
