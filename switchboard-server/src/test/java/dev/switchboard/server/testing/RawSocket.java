package dev.switchboard.server.testing;

import static dev.switchboard.server.testing.Waits.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A bare WebSocket (the JDK's) for checking exact frames and close codes that the official clients hide.
 * Records every text frame and the close code.
 */
public final class RawSocket implements AutoCloseable {
    /** pusher-js's query string, for tests that do not care which client the server thinks it is talking to. */
    public static final String PUSHER_JS_QUERY = "?protocol=7&client=js&version=8.6.0&flash=false";

    private final List<String> frames = new CopyOnWriteArrayList<>();
    /** The server's close code; -1 if the connection failed without one. */
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    /** {@link System#nanoTime} when the server's close frame arrived; 0 before. */
    private volatile long closedAtNanos;
    private final WebSocket socket;

    private RawSocket(URI uri) throws Exception {
        this(uri, HttpClient.newHttpClient());
    }

    private RawSocket(URI uri, HttpClient http) throws Exception {
        this(uri, http, null);
    }

    private RawSocket(URI uri, HttpClient http, String origin) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.socket = builder
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closedAtNanos = System.nanoTime();
                        closeCode.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closeCode.complete(-1);
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }

    /** Opens {@code /app/<key>} with pusher-js's query string. */
    public static RawSocket open(int port, String appKey) {
        return connect(port, "/app/" + appKey + PUSHER_JS_QUERY);
    }

    /**
     * Opens {@code /app/<key>} through a shared client: each {@link #open} has its own client and selector thread,
     * too many for a test that holds hundreds of sockets.
     */
    public static RawSocket open(HttpClient http, int port, String appKey) {
        try {
            return new RawSocket(URI.create("ws://127.0.0.1:" + port + "/app/" + appKey + PUSHER_JS_QUERY), http);
        } catch (Exception e) {
            throw new AssertionError("Could not open a WebSocket", e);
        }
    }

    /** Opens any path on the node, for tests of the URL rules themselves. */
    public static RawSocket connect(int port, String pathAndQuery) {
        try {
            return new RawSocket(URI.create("ws://127.0.0.1:" + port + pathAndQuery));
        } catch (Exception e) {
            throw new AssertionError("Could not open a WebSocket", e);
        }
    }

    /** Opens {@code /app/<key>} as a browser page of {@code origin} would (an Origin header). */
    public static RawSocket openFrom(int port, String appKey, String origin) {
        try {
            return new RawSocket(URI.create("ws://127.0.0.1:" + port + "/app/" + appKey + PUSHER_JS_QUERY),
                    HttpClient.newHttpClient(), origin);
        } catch (Exception e) {
            throw new AssertionError("Could not open a WebSocket", e);
        }
    }

    /** Opens {@code wss://127.0.0.1:<port>/app/<key>} trusting what {@code tls} trusts. */
    public static RawSocket openTls(int port, String appKey, javax.net.ssl.SSLContext tls) {
        try {
            return new RawSocket(URI.create("wss://127.0.0.1:" + port + "/app/" + appKey + PUSHER_JS_QUERY),
                    HttpClient.newBuilder().sslContext(tls).build());
        } catch (Exception e) {
            throw new AssertionError("Could not open a TLS WebSocket", e);
        }
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The JDK socket, for what {@link #send} does not cover: binary frames, oversized frames, a close. */
    public WebSocket socket() {
        return socket;
    }

    public List<String> frames() { return List.copyOf(frames); }

    /** The first text frame, or null before it arrives. */
    public String first() {
        List<String> all = frames();
        return all.isEmpty() ? null : all.get(0);
    }

    /** The latest text frame, or null before one arrives. */
    public String last() {
        List<String> all = frames();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public List<JsonNode> events(String event) {
        return frames.stream().map(Json::parse).filter(f -> event.equals(f.path("event").asText()))
                .collect(Collectors.toList());
    }

    public JsonNode awaitEvent(String event) {
        eventually().until(() -> !events(event).isEmpty());
        return events(event).get(0);
    }

    /** The socket id from the first frame. */
    public String socketId() {
        JsonNode established = awaitEvent("pusher:connection_established");
        return Json.parse(established.get("data").textValue()).get("socket_id").textValue();
    }

    /** {@link System#nanoTime} when the server's close frame arrived; 0 while open. */
    public long closedAtNanos() { return closedAtNanos; }

    /** The close code the server sent; null while open. */
    public Integer closeCode() { return closeCode.getNow(null); }

    public int awaitCloseCode() {
        return awaitCloseCode(Waits.AT_ONCE);
    }

    public int awaitCloseCode(Duration within) {
        try {
            return closeCode.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("No close within " + within, e);
        }
    }

    @Override
    public void close() {
        if (!closeCode.isDone() && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }
}
