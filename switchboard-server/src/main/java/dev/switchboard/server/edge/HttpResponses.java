package dev.switchboard.server.edge;

import dev.switchboard.protocol.WireCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The edge's HTTP answers in Netty's terms: always a body, always a content type and length, JSON unless metrics;
 * a {@link HttpReply} whole or as a stream; and the keep-alive of the connection after it.
 */
final class HttpResponses {
    static final String JSON = HttpReply.JSON;
    static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    static final byte[] WARMING_UP = "{\"ok\":false,\"error\":\"Warming up\"}".getBytes(StandardCharsets.UTF_8);
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

    /** A whole reply; the body left out for a HEAD (its length stays, as a GET's would be). */
    static FullHttpResponse of(HttpReply reply, boolean head) {
        FullHttpResponse r = of(HttpResponseStatus.valueOf(reply.status()), reply.contentType(), reply.body());
        reply.headers().forEach((name, value) -> r.headers().set(name, value));
        if (head) {
            r.content().clear();
        }
        return r;
    }

    /** Writes the answer; the connection stays open after it only when both sides want that. */
    static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, HttpVersion version) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The head of a streamed reply, chunked; then the port gets the stream's sink. */
    static void openStream(ChannelHandlerContext ctx, HttpReply reply) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((name, value) -> head.headers().set(name, value));
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        reply.stream().accept(new EventStream(ctx.channel()));
    }

    /** The chunks of one stream. A client that does not read has its chunks dropped, not queued. */
    private static final class EventStream implements StreamSink {
        private final Channel channel;

        EventStream(Channel channel) {
            this.channel = channel;
        }

        @Override
        public boolean send(String text) {
            if (!channel.isActive()) {
                return false;
            }
            if (channel.isWritable()) {
                channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
            }
            return true;
        }

        @Override
        public boolean isOpen() {
            return channel.isActive();
        }

        @Override
        public void close() {
            if (channel.isActive()) {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
