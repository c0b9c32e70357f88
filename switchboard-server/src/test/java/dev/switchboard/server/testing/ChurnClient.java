package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.data.PresenceUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One client of a churn run (issue 20): connects to the node it is told, signs in as its user (with a watchlist),
 * joins and leaves presence channels, and drops its connection, as the churn driver decides; a connection the
 * server closes (a node killed) is simply gone until the driver connects again, to any node. Every connection has
 * its own name ({@code name#k}) in the {@link PresenceHistory}. Membership frames of a channel are recorded only
 * while the client is subscribed to it: after an unsubscribe (or before a new subscription_succeeded) frames still
 * in flight belong to the old subscription, which pusher-js discards too.
 */
public final class ChurnClient {
    private enum State { PENDING, IN }

    private final String name;
    private final String userId;
    private final List<String> watchlist;
    private final AppAuth auth;
    private final HttpClient http;
    private final PresenceHistory history;
    private final Map<String, State> channels = new LinkedHashMap<>();
    /** Every frame of every connection with its arrival time, for the report of a failed run. */
    private final Map<String, List<String>> log = new LinkedHashMap<>();
    private int connections;
    private int lost;
    private String conn;
    private WebSocket ws;
    private String socketId;
    private boolean signedIn;
    /** JDK WebSockets take one send at a time: each send waits for the one before. */
    private CompletableFuture<WebSocket> sends;

    public ChurnClient(String name, String userId, List<String> watchlist, AppAuth auth, HttpClient http,
                       PresenceHistory history) {
        this.name = name;
        this.userId = userId;
        this.watchlist = List.copyOf(watchlist);
        this.auth = auth;
        this.http = http;
        this.history = history;
    }

    public String name() {
        return name;
    }

    public String userId() {
        return userId;
    }

    public List<String> watchlist() {
        return watchlist;
    }

    /** What each connection received, in order, with times (for a failed run's report). */
    public synchronized String transcript() {
        StringBuilder out = new StringBuilder();
        log.forEach((c, frames) -> {
            out.append(c).append(":\n");
            frames.forEach(f -> out.append("    ").append(f).append('\n'));
        });
        return out.toString();
    }

    /** Whether a connection is open or being opened. */
    public synchronized boolean connected() {
        return conn != null;
    }

    /** Connections the server or the network closed (not this client). */
    public synchronized int lost() {
        return lost;
    }

    /** Opens a connection to {@code port}, unless one is open or opening. */
    public synchronized void connect(int port) {
        if (conn != null) {
            return;
        }
        String c = name + "#" + ++connections;
        conn = c;
        note(c, "connect to port " + port);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/app/" + ChaosCluster.APP_KEY + RawSocket.PUSHER_JS_QUERY);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Listener(c))
                .whenComplete((w, err) -> {
                    if (err != null) {
                        gone(c, false);
                    }
                });
    }

    /** Closes the connection (the server sees the TCP connection go, as when a browser tab closes). */
    public synchronized void disconnect() {
        WebSocket w = ws;
        String c = conn;
        if (c == null || w == null) {
            return;
        }
        gone(c, true);
        w.abort();
    }

    /** Subscribes to {@code channel} if established and not in it; leaves it if in it. */
    public synchronized void toggle(String channel) {
        if (ws == null || socketId == null || channels.get(channel) == State.PENDING) {
            return;
        }
        if (channels.remove(channel) == State.IN) {
            history.unsubscribed(conn, channel);
            note(conn, "unsubscribe " + channel);
            send(Json.write(Map.of("event", "pusher:unsubscribe", "data", Map.of("channel", channel))));
            return;
        }
        channels.put(channel, State.PENDING);
        note(conn, "subscribe " + channel);
        JsonNode a = Json.parse(auth.channels(new PresenceUser(userId)).authorize(channel, socketId));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", channel);
        data.put("auth", a.path("auth").asText());
        data.put("channel_data", a.path("channel_data").asText());
        send(Json.write(Map.of("event", "pusher:subscribe", "data", data)));
    }

    /** Nothing in flight: no connection opening, sign-in unanswered or subscription unconfirmed. */
    public synchronized boolean settled() {
        return conn == null || ws != null && signedIn && !channels.containsValue(State.PENDING);
    }

    /** Whether the open connection is signed in (the user counts as online through it). */
    public synchronized boolean signedIn() {
        return conn != null && signedIn;
    }

    /** The channels the open connection is subscribed to (confirmed). */
    public synchronized Set<String> channels() {
        Set<String> out = new TreeSet<>();
        channels.forEach((ch, s) -> {
            if (s == State.IN) {
                out.add(ch);
            }
        });
        return out;
    }

    /** The name the history knows the open connection by; null when none is open. */
    public synchronized String connection() {
        return ws == null ? null : conn;
    }

    private void send(String frame) {
        sends = sends.thenCompose(w -> w.sendText(frame, true));
        sends.exceptionally(e -> null);
    }

    private void note(String c, String what) {
        log.computeIfAbsent(c, k -> new java.util.ArrayList<>()).add(java.time.Instant.now() + " " + what);
    }

    private synchronized void gone(String c, boolean byUs) {
        if (!c.equals(conn)) {
            return;
        }
        history.closed(c);
        note(c, byUs ? "closed by the client" : "closed");
        if (!byUs) {
            lost++;
        }
        conn = null;
        ws = null;
        socketId = null;
        signedIn = false;
        channels.clear();
    }

    private synchronized void received(String c, WebSocket w, String frame) {
        if (!c.equals(conn)) {
            return; // a frame of a connection already counted as gone
        }
        note(c, frame);
        JsonNode json = Json.parse(frame);
        String event = json.path("event").asText();
        String channel = json.path("channel").asText();
        switch (event) {
            case "pusher:connection_established" -> {
                ws = w;
                sends = CompletableFuture.completedFuture(w);
                socketId = Json.parse(json.path("data").asText()).path("socket_id").asText();
                Map<String, Object> user = new LinkedHashMap<>();
                user.put("id", userId);
                user.put("watchlist", watchlist);
                String answer = auth.user(user).authenticate(socketId);
                send(Json.write(Map.of("event", "pusher:signin", "data", Json.parse(answer))));
            }
            case "pusher:signin_success" -> signedIn = true;
            case "pusher_internal:subscription_succeeded" -> {
                if (channels.get(channel) == State.PENDING) {
                    channels.put(channel, State.IN);
                    history.frame(c, frame);
                }
            }
            case "pusher_internal:member_added", "pusher_internal:member_removed" -> {
                if (channels.get(channel) == State.IN) {
                    history.frame(c, frame);
                }
            }
            default -> history.frame(c, frame); // watchlist events; anything else the history ignores
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final String c;
        private final StringBuilder partial = new StringBuilder();

        Listener(String c) {
            this.c = c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                received(c, w, frame);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            gone(c, false);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            gone(c, false);
        }
    }
}
