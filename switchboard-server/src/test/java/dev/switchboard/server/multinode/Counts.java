package dev.switchboard.server.multinode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.webhooks.Receiver;

/** Counting what arrived, so that a test can show "exactly once" rather than "at least once". */
final class Counts {
    private Counts() {}

    /** Webhook events named {@code name} whose {@code field} (channel, user_id) is {@code value}. */
    static long webhooks(Receiver receiver, String name, String field, String value) {
        return receiver.events().stream()
                .filter(e -> name.equals(e.path("name").asText()) && value.equals(e.path(field).asText()))
                .count();
    }

    /** How often the socket's watchlist frames named {@code userId} under {@code name} (online / offline). */
    static long watchlist(RawSocket socket, String name, String userId) {
        long n = 0;
        for (JsonNode frame : socket.events("pusher_internal:watchlist_events")) {
            JsonNode data = frame.path("data").isTextual() ? Json.parse(frame.path("data").textValue()) : frame.path("data");
            for (JsonNode e : data.path("events")) {
                if (name.equals(e.path("name").asText())) {
                    for (JsonNode id : e.path("user_ids")) {
                        n += userId.equals(id.asText()) ? 1 : 0;
                    }
                }
            }
        }
        return n;
    }
}
