package dev.switchboard.server.api;

import dev.switchboard.protocol.WireCodec;
import java.util.Map;

/** Status and JSON body of an HTTP API answer. Errors are {@code {"error":"…"}} with a 4xx status. */
public record ApiResponse(int status, byte[] body) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, WireCodec.writeBytes(body));
    }

    public static ApiResponse error(int status, String message) {
        return new ApiResponse(status, WireCodec.writeBytes(Map.of("error", message)));
    }
}
