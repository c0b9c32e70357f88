package dev.switchboard.server.edge;

import dev.switchboard.protocol.WireCodec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Building the edge's HTTP answers: always a body, always a content type and length, JSON unless metrics. */
final class HttpResponses {
    static final String JSON = "application/json";
    static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    static final byte[] SHUTTING_DOWN = "{\"ok\":false,\"error\":\"Shutting down\"}".getBytes(StandardCharsets.UTF_8);

    static final byte[] OK_APPS_DB_UP = "{\"ok\":true,\"apps_db\":\"up\"}".getBytes(StandardCharsets.UTF_8);
    static final byte[] OK_APPS_DB_DOWN = "{\"ok\":true,\"apps_db\":\"down\"}".getBytes(StandardCharsets.UTF_8);

    private HttpResponses() {}

    static FullHttpResponse json(int status, byte[] body) {
        return of(HttpResponseStatus.valueOf(status), JSON, body);
    }

    static FullHttpResponse error(HttpResponseStatus status, String message) {
        return of(status, JSON, WireCodec.writeBytes(Map.of("error", message)));
    }

    static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }
}
