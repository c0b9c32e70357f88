package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare Pusher-protocol client on the JDK's WebSocket: sends frames as the SDK's auth answers dictate and
 * records every frame it receives, so tests see the wire exactly.
 */
final class RawSocket implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> frames = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket ws;
    final String socketId;

    private RawSocket(int port, String appKey) {
        ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/" + appKey + "?protocol=7&client=java&version=1.0"),
                        new Listener())
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
        JsonNode established = await(f -> "pusher:connection_established".equals(event(f)));
        socketId = data(established).get("socket_id").textValue();
    }

    static RawSocket connect(int port, String appKey) {
        return new RawSocket(port, appKey);
    }

    void send(Map<String, Object> frame) {
        try {
            ws.sendText(JSON.writeValueAsString(frame), true).join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Subscribes with an auth endpoint's JSON answer (null for public channels); waits for success. */
    void subscribe(String channel, String authAnswer) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", channel);
        if (authAnswer != null) {
            JsonNode answer = parse(authAnswer);
            data.put("auth", answer.get("auth").textValue());
            if (answer.has("channel_data")) {
                data.put("channel_data", answer.get("channel_data").textValue());
            }
        }
        send(Map.of("event", "pusher:subscribe", "data", data));
        await(f -> "pusher_internal:subscription_succeeded".equals(event(f)) && channel.equals(channel(f)));
    }

    /** Signs in with a user-auth endpoint's JSON answer, as pusher-js does; waits for success. */
    void signIn(String authAnswer) {
        JsonNode answer = parse(authAnswer);
        send(Map.of("event", "pusher:signin", "data", Map.of(
                "auth", answer.get("auth").textValue(), "user_data", answer.get("user_data").textValue())));
        await(f -> "pusher:signin_success".equals(event(f)));
    }

    /** The first received frame matching {@code p}, waiting up to {@link #WAIT}. */
    JsonNode await(Predicate<JsonNode> p) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (frames) {
            while (true) {
                for (JsonNode f : frames) {
                    if (p.test(f)) {
                        return f;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("No matching frame within " + WAIT + "; received " + frames);
                }
                try {
                    frames.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    JsonNode awaitEvent(String channel, String event) {
        return await(f -> event.equals(event(f)) && channel.equals(channel(f)));
    }

    boolean received(Predicate<JsonNode> p) {
        synchronized (frames) {
            return frames.stream().anyMatch(p);
        }
    }

    int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    static String event(JsonNode f) {
        return f.path("event").asText(null);
    }

    static String channel(JsonNode f) {
        return f.path("channel").asText(null);
    }

    /** {@code data} as an object, whether sent as an object or double-encoded. */
    static JsonNode data(JsonNode f) {
        JsonNode d = f.get("data");
        return d != null && d.isTextual() ? parse(d.textValue()) : d;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            ws.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode frame = parse(partial.toString());
                partial.setLength(0);
                synchronized (frames) {
                    frames.add(frame);
                    frames.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }

    static void assertEventData(JsonNode frame, String expected) {
        assertThat(frame.get("data").textValue()).isEqualTo(expected);
    }
}
