package dev.switchboard.server.dashboard;

import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.edge.HttpReply;
import dev.switchboard.server.edge.StreamSink;
import java.util.Map;
import java.util.function.Consumer;

/** The dashboard's answers: JSON that is never cached or sniffed, the token's 401, and the live stream's head. */
final class DashboardReplies {
    static final String JSON = HttpReply.JSON;
    /** JSON answers carry app data: never cached, never sniffed. */
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff");

    private DashboardReplies() {}

    static HttpReply json(int status, Object body) {
        return new HttpReply(status, JSON, WireCodec.writeBytes(body), JSON_HEADERS, null);
    }

    static HttpReply error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    static HttpReply unauthorized() {
        return new HttpReply(401, JSON, WireCodec.writeBytes(Map.of("error", "A valid dashboard token is required")),
                Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
                        "WWW-Authenticate", "Bearer realm=\"switchboard-dashboard\""), null);
    }

    /** Server-sent events: the edge writes this head and hands the stream's sink to {@code stream}. */
    static HttpReply events(Consumer<StreamSink> stream) {
        return new HttpReply(200, "text/event-stream; charset=utf-8", new byte[0],
                Map.of("Cache-Control", "no-store", "X-Accel-Buffering", "no"), stream);
    }
}
