package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The webhook events of a run (e.g. {@code Receiver.events()}, in arrival order, filtered by the test to its own
 * channels and users) checked as histories: per channel and user, member_added and member_removed alternate
 * starting with an add; per user, user_online and user_offline alternate starting online; per channel,
 * channel_occupied and channel_vacated alternate starting occupied. So each transition came once per cluster.
 * The end checks say which members, users and channels the last events leave present.
 */
public final class WebhookHistory {
    /** key → the "up" (true) and "down" (false) transitions, in order. */
    private final Map<String, List<Boolean>> sequences = new LinkedHashMap<>();

    private WebhookHistory(List<JsonNode> events) {
        for (JsonNode e : events) {
            String channel = e.path("channel").asText();
            String user = e.path("user_id").asText();
            switch (e.path("name").asText()) {
                case "member_added" -> step("member " + channel + " " + user, true);
                case "member_removed" -> step("member " + channel + " " + user, false);
                case "user_online" -> step("user " + user, true);
                case "user_offline" -> step("user " + user, false);
                case "channel_occupied" -> step("channel " + channel, true);
                case "channel_vacated" -> step("channel " + channel, false);
                default -> { }
            }
        }
    }

    public static WebhookHistory of(List<JsonNode> events) {
        return new WebhookHistory(events);
    }

    private void step(String key, boolean up) {
        sequences.computeIfAbsent(key, k -> new ArrayList<>()).add(up);
    }

    /** Fails, naming each broken sequence, unless every sequence starts up and alternates. */
    public void assertAlternate() {
        PresenceHistory.report("webhooks do not alternate", violations());
    }

    public List<String> violations() {
        List<String> out = new ArrayList<>();
        sequences.forEach((key, steps) -> {
            for (int i = 0; i < steps.size(); i++) {
                boolean expected = i % 2 == 0;
                if (steps.get(i) != expected) {
                    out.add(key + " #" + i + ": " + steps.stream().map(s -> s ? "up" : "down").toList());
                    return;
                }
            }
        });
        return out;
    }

    /** The users whose last member event for {@code channel} was member_added. */
    public Set<String> members(String channel) {
        return up("member " + channel + " ");
    }

    /** The users whose last user event was user_online. */
    public Set<String> onlineUsers() {
        return up("user ");
    }

    /** Whether the last of the channel's occupied/vacated events was channel_occupied. */
    public boolean occupied(String channel) {
        List<Boolean> steps = sequences.get("channel " + channel);
        return steps != null && steps.get(steps.size() - 1);
    }

    private Set<String> up(String prefix) {
        Set<String> out = new TreeSet<>();
        sequences.forEach((key, steps) -> {
            if (key.startsWith(prefix) && steps.get(steps.size() - 1)) {
                out.add(key.substring(prefix.length()));
            }
        });
        return out;
    }
}
