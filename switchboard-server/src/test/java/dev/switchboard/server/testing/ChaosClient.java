package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A client as pusher-js behaves in a fault: a WebSocket to one node that signs in as its user (with a watchlist),
 * subscribes to one presence channel, and reconnects when the connection goes: at once after a 4200, after a
 * short pause otherwise (pusher-js backs off), to the same node. Every frame of every connection goes into a
 * {@link PresenceHistory} under the connection's own name ({@code name#k}), and each close is recorded there, so
 * the history of the whole run is what the checker judges.
 */
public final class ChaosClient implements AutoCloseable {
    private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-client-retry");
        t.setDaemon(true);
        return t;
    });

    private final String name;
    private final IntSupplier port;
    private final String userId;
    private final List<String> watchlist;
    private final String channel;
    private final AppAuth auth;
    private final HttpClient http;
    private final PresenceHistory history;
    private final AtomicInteger connections = new AtomicInteger();
    /** Every frame of every connection, with its arrival time, for the report of a failed run. */
    private final java.util.Map<String, java.util.List<String>> log = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String current;
    private volatile boolean subscribed;
    private volatile WebSocket socket;
    private volatile boolean stopped;

    public ChaosClient(String name, IntSupplier port, String userId, List<String> watchlist, String channel,
                       AppAuth auth, HttpClient http, PresenceHistory history) {
        this.name = name;
        this.port = port;
        this.userId = userId;
        this.watchlist = List.copyOf(watchlist);
        this.channel = channel;
        this.auth = auth;
        this.http = http;
        this.history = history;
    }

    public ChaosClient start() {
        connect();
        return this;
    }

    /** The name of the connection open now (what the history knows it by); null between connections. */
    public String connection() {
        return subscribed ? current : null;
    }

    /** What each connection received, in order, with times (for a failed run's report). */
    public String transcript() {
        StringBuilder out = new StringBuilder();
        log.forEach((conn, frames) -> {
            out.append(conn).append(":\n");
            frames.forEach(f -> out.append("    ").append(f).append('\n'));
        });
        return out.toString();
    }

    public String userId() {
        return userId;
    }

    /** Connections opened so far (1 + reconnects). */
    public int connections() {
        return connections.get();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        String conn = name + "#" + connections.incrementAndGet();
        current = conn;
        subscribed = false;
        URI uri = URI.create("ws://127.0.0.1:" + port.getAsInt() + "/app/" + ChaosCluster.APP_KEY
                + RawSocket.PUSHER_JS_QUERY);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Listener(conn))
                .whenComplete((ws, err) -> {
                    if (err != null) {
                        retry(conn, 500);
                    } else {
                        socket = ws;
                    }
                });
    }

    private void retry(String conn, long delayMillis) {
        if (!stopped && conn.equals(current)) {
            history.closed(conn);
            subscribed = false;
            current = null;
            RETRY.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final String conn;
        private final StringBuilder partial = new StringBuilder();

        Listener(String conn) {
            this.conn = conn;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                history.frame(conn, frame);
                log.computeIfAbsent(conn, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(java.time.Instant.now() + " " + frame);
                react(ws, Json.parse(frame));
            }
            ws.request(1);
            return null;
        }

        private void react(WebSocket ws, JsonNode frame) {
            switch (frame.path("event").asText()) {
                case "pusher:connection_established" -> {
                    String socketId = Json.parse(frame.path("data").asText()).path("socket_id").asText();
                    Map<String, Object> user = new LinkedHashMap<>();
                    user.put("id", userId);
                    user.put("watchlist", watchlist);
                    String answer = auth.user(user).authenticate(socketId);
                    String signin = Json.write(Map.of("event", "pusher:signin", "data", Json.parse(answer)));
                    String channelAuth = auth.channels(new com.pusher.rest.data.PresenceUser(userId))
                            .authorize(channel, socketId);
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("channel", channel);
                    JsonNode a = Json.parse(channelAuth);
                    data.put("auth", a.path("auth").asText());
                    data.put("channel_data", a.path("channel_data").asText());
                    String subscribe = Json.write(Map.of("event", "pusher:subscribe", "data", data));
                    // one send at a time on a JDK WebSocket: the second waits for the first
                    ws.sendText(signin, true).thenCompose(w -> w.sendText(subscribe, true));
                }
                case "pusher_internal:subscription_succeeded" -> subscribed = true;
                default -> { }
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            log.computeIfAbsent(conn, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(java.time.Instant.now() + " closed " + statusCode + " " + reason);
            retry(conn, statusCode >= 4200 && statusCode < 4300 ? 0 : 500);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            retry(conn, 500);
        }
    }

    @Override
    public void close() {
        stopped = true;
        WebSocket ws = socket;
        String conn = current;
        if (conn != null) {
            history.closed(conn);
        }
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
            ws.abort();
        }
    }
}
