package dev.switchboard.server.edge;

import dev.switchboard.protocol.WireCodec;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a {@link HttpPort} answers: a whole body, or (when {@code stream} is set) the head of a streamed answer
 * (server-sent events) whose sink the edge then hands to {@code stream}. The edge adds the length and the
 * connection's keep-alive.
 *
 * @param headers extra headers (e.g. {@code Retry-After}, security, caching)
 * @param stream  null for a whole body
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers,
                        Consumer<StreamSink> stream) {
    public static final String JSON = "application/json";

    public HttpReply {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A JSON body already written. */
    public static HttpReply json(int status, byte[] body, Map<String, String> headers) {
        return new HttpReply(status, JSON, body, headers, null);
    }

    /** {@code {"error":"…"}}, the shape of every refusal. */
    public static HttpReply error(int status, String message) {
        return json(status, WireCodec.writeBytes(Map.of("error", message)), Map.of());
    }
}
