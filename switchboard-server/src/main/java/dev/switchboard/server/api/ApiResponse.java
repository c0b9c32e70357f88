package dev.switchboard.server.api;

import dev.switchboard.protocol.WireCodec;
import java.util.Map;

/**
 * Status, JSON body and extra headers (e.g. {@code Retry-After}) of an HTTP API answer. Errors are
 * {@code {"error":"…"}} with a 4xx status.
 */
public record ApiResponse(int status, byte[] body, Map<String, String> headers) {

    public ApiResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiResponse(int status, byte[] body) {
        this(status, body, Map.of());
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, WireCodec.writeBytes(body));
    }

    public static ApiResponse error(int status, String message) {
        return new ApiResponse(status, WireCodec.writeBytes(Map.of("error", message)));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, body, copy);
    }
}
