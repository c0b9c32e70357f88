package dev.switchboard.server.dashboard;

import dev.switchboard.protocol.WireCodec;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the edge sends back: a whole body, or (when {@code stream} is set) the head of a server-sent-events
 * response whose sink is then handed to {@code stream}.
 *
 * @param headers extra headers (security, caching)
 */
public record DashboardResponse(int status, String contentType, byte[] body, Map<String, String> headers,
                                Consumer<StreamSink> stream) {
    static final String JSON = "application/json";
    /** JSON answers carry app data: never cached, never sniffed. */
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff");

    static DashboardResponse json(int status, Object body) {
        return new DashboardResponse(status, JSON, WireCodec.writeBytes(body), JSON_HEADERS, null);
    }

    static DashboardResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    static DashboardResponse unauthorized() {
        return new DashboardResponse(401, JSON, WireCodec.writeBytes(Map.of("error", "A valid dashboard token is required")),
                Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
                        "WWW-Authenticate", "Bearer realm=\"switchboard-dashboard\""), null);
    }

    static DashboardResponse events(Consumer<StreamSink> stream) {
        return new DashboardResponse(200, "text/event-stream; charset=utf-8", new byte[0],
                Map.of("Cache-Control", "no-store", "X-Accel-Buffering", "no"), stream);
    }
}
