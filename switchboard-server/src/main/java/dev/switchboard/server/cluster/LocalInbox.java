package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Inboxes.KeptEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One app's user inboxes in memory: user id → events kept while it was offline, oldest first. Its callers
 * ({@link LocalInboxes}, {@link LocalOnlineUsers}, {@link LocalUserData}) call every method inside the
 * {@code users.compute} for the same user id, so a keep and a sign-in of one user never interleave; this class adds
 * no locking of its own.
 */
final class LocalInbox {
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, ArrayDeque<KeptEvent>> inboxes = new ConcurrentHashMap<>();

    LocalInbox(LongSupplier clock) {
        this.clock = clock;
    }

    /** Appends the event; answers how many of the oldest were dropped to stay within {@code maxEvents}. */
    int keep(String userId, KeptEvent event, int maxEvents) {
        ArrayDeque<KeptEvent> inbox = inboxes.computeIfAbsent(userId, x -> new ArrayDeque<>());
        inbox.addLast(event);
        int dropped = 0;
        while (inbox.size() > maxEvents) {
            inbox.removeFirst();
            dropped++;
        }
        return dropped;
    }

    /** Empties the inbox: its unexpired events go to {@code live}, oldest first; answers how many had expired. */
    int take(String userId, List<KeptEvent> live) {
        ArrayDeque<KeptEvent> inbox = inboxes.remove(userId);
        int expired = 0;
        if (inbox != null) {
            long now = clock.getAsLong();
            for (KeptEvent e : inbox) {
                if (e.expiresAtMillis() > now) {
                    live.add(e);
                } else {
                    expired++;
                }
            }
        }
        return expired;
    }

    /** The unexpired events, oldest first; expired ones are dropped on the way. */
    List<KeptEvent> read(String userId) {
        List<KeptEvent> live = new ArrayList<>();
        ArrayDeque<KeptEvent> inbox = inboxes.get(userId);
        if (inbox != null) {
            long now = clock.getAsLong();
            inbox.removeIf(e -> e.expiresAtMillis() <= now);
            live.addAll(inbox);
            if (inbox.isEmpty()) {
                inboxes.remove(userId);
            }
        }
        return live;
    }

}
