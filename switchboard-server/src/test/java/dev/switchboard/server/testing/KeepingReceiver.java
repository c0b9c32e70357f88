package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.webhooks.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A webhook receiver that keeps the ids it answered 2xx to, as docs/webhooks.md tells an app to (issue 26): down
 * (503 to everything) or up (200), each answer recorded. {@link #kept()} is what such an app processed: one request
 * per id, the first answered 2xx. Also how a test causes the owed events of one user on one node.
 */
public final class KeepingReceiver implements AutoCloseable {
    private final Receiver receiver;
    private volatile boolean up;
    private final Map<Integer, Integer> answers = new ConcurrentHashMap<>();

    public KeepingReceiver() {
        try {
            receiver = new Receiver().answering(n -> {
                int status = up ? 200 : 503;
                answers.put(n, status);
                return status;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return receiver.url();
    }

    public void up(boolean value) {
        up = value;
    }

    /** Every request, answered or not yet. */
    public List<Receiver.Request> requests() {
        return receiver.requests();
    }

    /** The requests answered 2xx whose id was new: what an app keeping ids processed, in arrival order. */
    public List<Receiver.Request> kept() {
        List<Receiver.Request> all = receiver.requests();
        Map<String, Receiver.Request> byId = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Integer status = answers.get(i);
            if (status != null && status / 100 == 2) {
                byId.putIfAbsent(all.get(i).headers().getFirst("X-Switchboard-Webhook-Id"), all.get(i));
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** How many times an app keeping ids processed an event with this name, channel and user (null: absent). */
    public long processed(String name, String channel, String user) {
        return kept().stream().flatMap(r -> r.events().stream()).filter(e -> matches(e, name, channel, user)).count();
    }

    /** True when some request so far (whatever its answer) carried that event. */
    public boolean attempted(String name, String channel, String user) {
        return requests().stream().flatMap(r -> r.events().stream()).anyMatch(e -> matches(e, name, channel, user));
    }

    /** Every request of one id carried the same bytes (retries and takeovers resend what was signed once). */
    public boolean sameBytesPerId() {
        Map<String, byte[]> first = new LinkedHashMap<>();
        for (Receiver.Request r : requests()) {
            byte[] seen = first.putIfAbsent(r.headers().getFirst("X-Switchboard-Webhook-Id"), r.body());
            if (seen != null && !Arrays.equals(seen, r.body())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(JsonNode e, String name, String channel, String user) {
        return e.path("name").asText().equals(name)
                && (channel == null ? !e.has("channel") : channel.equals(e.path("channel").asText()))
                && (user == null ? !e.has("user_id") : user.equals(e.path("user_id").asText()));
    }

    /**
     * On the node at {@code port}: a socket signed in as {@code user} and subscribed to the presence {@code channel} as
     * that user, which causes user_online, channel_occupied and member_added.
     */
    public static RawSocket enter(int port, AppAuth auth, String appKey, String user, String channel) {
        RawSocket s = RawSocket.open(port, appKey);
        JsonNode signin = Json.parse(auth.user(user, user).authenticate(s.socketId()));
        s.send(Json.write(Map.of("event", "pusher:signin", "data", Map.of("auth", signin.get("auth").asText(),
                "user_data", signin.get("user_data").asText()))));
        s.awaitEvent("pusher:signin_success");
        JsonNode sub = Json.parse(auth.channels(new PresenceUser(user, Map.of("n", user))).authorize(channel,
                s.socketId()));
        s.send(Json.write(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel,
                "auth", sub.get("auth").asText(), "channel_data", sub.get("channel_data").asText()))));
        s.awaitEvent("pusher_internal:subscription_succeeded");
        return s;
    }

    /** A counter or gauge of a node's {@code /metrics} (served on its port with {@code token}); 0 when absent. */
    public static double metric(int port, String token, String name) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ")) {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        receiver.close();
    }
}
