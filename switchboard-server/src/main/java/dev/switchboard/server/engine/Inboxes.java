package dev.switchboard.server.engine;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The user inbox (docs/users.md): events sent to a user while no connection of it is signed in anywhere, kept until
 * its next sign-in ({@link OnlineUsers#signIn} hands them over) or their expiry. Whether an event is kept is decided
 * atomically with sign-ins, so that every event is either delivered live or kept, never both.
 */
public interface Inboxes {

    /**
     * Keeps {@code event} for the user when no connection of it is signed in anywhere. Not kept: the caller
     * publishes it live. Past {@code maxEvents} the oldest kept events are dropped.
     */
    CompletionStage<Keep> keepIfOffline(String appId, String userId, KeptEvent event, int maxEvents);

    /** The unexpired events kept for the user, oldest first ({@code events} only when asked for). */
    CompletionStage<Inbox> inbox(String appId, String userId, boolean withEvents);

    /** Empties the user's inbox; answers how many unexpired events it held. */
    CompletionStage<Integer> clearInbox(String appId, String userId);

    /** An event sent to a user while it had no signed-in connection: its name, data text and times. */
    record KeptEvent(String event, String data, long sentAtMillis, long expiresAtMillis) {}

    /** {@code kept}: the user was offline and the event waits; {@code dropped}: older ones pushed out for room. */
    record Keep(boolean kept, int dropped) {}

    /** A user's inbox: how many events, the send times of the oldest and newest (null when empty). */
    record Inbox(int count, Long oldestMillis, Long newestMillis, List<KeptEvent> events) {

        /** The inbox answer for these unexpired events, oldest first; {@code events} only when asked for. */
        public static Inbox of(List<KeptEvent> live, boolean withEvents) {
            if (live.isEmpty()) {
                return new Inbox(0, null, null, withEvents ? List.of() : null);
            }
            return new Inbox(live.size(), live.get(0).sentAtMillis(), live.get(live.size() - 1).sentAtMillis(),
                    withEvents ? List.copyOf(live) : null);
        }
    }
}
