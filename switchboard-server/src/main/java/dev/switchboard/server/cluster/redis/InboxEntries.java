package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.Inboxes.KeptEvent;
import java.util.List;

/**
 * One kept event as one Redis list entry: {@code <sent>:<expires>:<event length>:<event><data>}. Length-prefixed,
 * so event names and data may hold any character, and no JSON is parsed to read it back.
 */
final class InboxEntries {
    private InboxEntries() {}

    static String encode(KeptEvent e) {
        return e.sentAtMillis() + ":" + e.expiresAtMillis() + ":" + e.event().length() + ":" + e.event() + e.data();
    }

    static KeptEvent decode(String entry) {
        int a = entry.indexOf(':');
        int b = entry.indexOf(':', a + 1);
        int c = entry.indexOf(':', b + 1);
        int len = Integer.parseInt(entry.substring(b + 1, c));
        String event = entry.substring(c + 1, c + 1 + len);
        return new KeptEvent(event, entry.substring(c + 1 + len), Long.parseLong(entry.substring(0, a)),
                Long.parseLong(entry.substring(a + 1, b)));
    }

    /** Adds the entries not expired at {@code now} to {@code live}, in order; answers how many had expired. */
    static int unexpired(List<String> entries, long now, List<KeptEvent> live) {
        int expired = 0;
        for (String entry : entries) {
            KeptEvent e = decode(entry);
            if (e.expiresAtMillis() > now) {
                live.add(e);
            } else {
                expired++;
            }
        }
        return expired;
    }
}
