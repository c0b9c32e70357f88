package dev.switchboard.server.testing;

import static dev.switchboard.server.testing.Waits.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.webhooks.Receiver;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Users leaving and coming back on another node, fast (inside the webhook leave delay) and slowly (after their
 * removal webhooks arrived), over one node or several (issue 20). Each user has one socket at a time, signed in as
 * the user and subscribed to one presence channel as the user; a round closes it and opens the next on the next
 * node. Every webhook of the run is then checked with {@link WebhookHistory}: member_added/removed,
 * user_online/offline and channel_occupied/vacated alternate, and the last of each tells the truth, both while the
 * users are in and after they all left.
 */
public final class WebhookChurn implements AutoCloseable {
    private final String appKey;
    private final AppAuth auth;
    private final List<Integer> ports;
    private final Receiver receiver;
    private final String channel;
    private final List<String> users = new ArrayList<>();
    private final Map<String, RawSocket> sockets = new HashMap<>();
    private final List<RawSocket> all = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int opened;

    public WebhookChurn(String appKey, AppAuth auth, List<Integer> ports, Receiver receiver, String channel,
                        int userCount) {
        this.appKey = appKey;
        this.auth = auth;
        this.ports = List.copyOf(ports);
        this.receiver = receiver;
        this.channel = channel;
        for (int i = 0; i < userCount; i++) {
            users.add(channel + "-u" + i);
        }
    }

    /** {@code fast} rounds of quick moves, then {@code slow} rounds of moves after the removal arrived; checked. */
    public void run(int fast, int slow) {
        for (String u : users) {
            RawSocket s = open();
            enter(s, u);
            sockets.put(u, s);
        }
        awaitTruth(new TreeSet<>(users));
        for (int r = 0; r < fast; r++) {
            for (String u : users) {
                RawSocket next = open();
                String signin = signinFrame(next, u);
                String subscribe = subscribeFrame(next, u);
                sockets.put(u, next).close();
                next.send(signin);
                next.send(subscribe);
            }
            for (String u : users) {
                sockets.get(u).awaitEvent("pusher_internal:subscription_succeeded");
            }
        }
        awaitTruth(new TreeSet<>(users));
        for (int r = 0; r < slow; r++) {
            String u = users.get(r % users.size());
            RawSocket next = open();
            sockets.remove(u).close();
            eventually().atMost(Duration.ofSeconds(10)).until(() -> !history().members(channel).contains(u)
                    && !history().onlineUsers().contains(u));
            enter(next, u);
            sockets.put(u, next);
            eventually().atMost(Duration.ofSeconds(10)).until(() -> history().members(channel).contains(u));
        }
        awaitTruth(new TreeSet<>(users));
        for (RawSocket s : sockets.values()) {
            s.close();
        }
        sockets.clear();
        awaitTruth(Set.of());
    }

    private RawSocket open() {
        RawSocket s = RawSocket.open(http, ports.get(opened++ % ports.size()), appKey);
        all.add(s);
        return s;
    }

    private void enter(RawSocket s, String user) {
        s.send(signinFrame(s, user));
        s.awaitEvent("pusher:signin_success");
        s.send(subscribeFrame(s, user));
        s.awaitEvent("pusher_internal:subscription_succeeded");
    }

    private String signinFrame(RawSocket s, String user) {
        JsonNode answer = Json.parse(auth.user(user, user).authenticate(s.socketId()));
        return Json.write(Map.of("event", "pusher:signin", "data", Map.of("auth", answer.get("auth").asText(),
                "user_data", answer.get("user_data").asText())));
    }

    private String subscribeFrame(RawSocket s, String user) {
        JsonNode answer = Json.parse(auth.channels(new PresenceUser(user, Map.of("n", user)))
                .authorize(channel, s.socketId()));
        return Json.write(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel,
                "auth", answer.get("auth").asText(), "channel_data", answer.get("channel_data").asText())));
    }

    /** The run's webhooks: those of its channel and of its users. */
    public WebhookHistory history() {
        List<JsonNode> mine = new ArrayList<>();
        for (JsonNode e : receiver.events()) {
            if (channel.equals(e.path("channel").asText()) || users.contains(e.path("user_id").asText())) {
                mine.add(e);
            }
        }
        return WebhookHistory.of(mine);
    }

    /** Waits until the last webhooks say that exactly {@code present} are in, watches a while, checks all. */
    private void awaitTruth(Set<String> present) {
        try {
            eventually().atMost(Duration.ofSeconds(10)).until(() -> ends(history(), present));
            // a late duplicate would show after the first agreement: watch a little longer
            Waits.throughoutQuietPeriod().until(() -> ends(history(), present));
        } catch (ConditionTimeoutException e) {
            // reported below, with the histories
        }
        WebhookHistory h = history();
        h.assertAlternate();
        if (!ends(h, present)) {
            throw new AssertionError("webhooks end with members " + h.members(channel) + ", online "
                    + h.onlineUsers() + ", occupied " + h.occupied(channel) + "; expected " + present);
        }
    }

    private boolean ends(WebhookHistory h, Set<String> present) {
        return h.members(channel).equals(present) && h.onlineUsers().equals(present)
                && h.occupied(channel) == !present.isEmpty();
    }

    @Override
    public void close() {
        for (RawSocket s : all) {
            s.close();
        }
    }
}
