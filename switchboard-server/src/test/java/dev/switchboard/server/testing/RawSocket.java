package dev.switchboard.server.testing;

import static dev.switchboard.server.testing.Waits.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A bare WebSocket (the JDK's) for checking exact frames and close codes that the official clients hide.
 * Records every text frame and the close code.
 */
public final class RawSocket implements AutoCloseable {
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private volatile Integer closeCode;
    private final WebSocket socket;

    private RawSocket(URI uri) throws Exception {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
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
                        closeCode = statusCode;
                        return null;
                    }
                })
                .get(5, TimeUnit.SECONDS);
    }

    /** Opens {@code /app/<key>} with pusher-js's query string. */
    public static RawSocket open(int port, String appKey) {
        try {
            return new RawSocket(URI.create("ws://127.0.0.1:" + port + "/app/" + appKey
                    + "?protocol=7&client=js&version=8.6.0&flash=false"));
        } catch (Exception e) {
            throw new AssertionError("Could not open a WebSocket", e);
        }
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public List<String> frames() { return List.copyOf(frames); }

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

    /** The close code the server sent; null while open. */
    public Integer closeCode() { return closeCode; }

    public int awaitCloseCode() {
        eventually().until(() -> closeCode != null);
        return closeCode;
    }

    @Override
    public void close() {
        if (closeCode == null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }
}
