package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The events waiting for a user's next sign-in (Switchboard's user inbox): how many, the send times of the oldest
 * and newest as Unix milliseconds (null when empty), and the events oldest first when they were asked for (else
 * an empty list).
 */
public record Inbox(int status, int count, Long oldestMillis, Long newestMillis, List<Event> events) {

    public Inbox {
        events = List.copyOf(events);
    }

    /** One kept event: its name, its data as sent, when it was sent and when it stops waiting. */
    public record Event(String event, String data, long sentAtMillis, long expiresAtMillis) {}

    static Inbox from(Transport.Answer answer) {
        JsonNode node = answer.json();
        List<Event> events = new ArrayList<>();
        for (JsonNode e : node.path("events")) {
            events.add(new Event(ChannelInfo.text(e.get("event")), ChannelInfo.text(e.get("data")),
                    e.path("sent_at").asLong(), e.path("expires_at").asLong()));
        }
        return new Inbox(answer.status(), node.path("count").asInt(0), millis(node.get("oldest")),
                millis(node.get("newest")), events);
    }

    private static Long millis(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }
}
