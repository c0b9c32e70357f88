package dev.switchboard.server.edge;

import dev.switchboard.server.dashboard.DashboardRequest;
import dev.switchboard.server.dashboard.DashboardResponse;
import dev.switchboard.server.dashboard.StreamSink;
import dev.switchboard.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /dashboard…} over HTTP: hands the request to the dashboard and writes its answer when it completes
 * (possibly on another thread), or opens a server-sent-events stream and gives the dashboard its sink.
 */
final class DashboardHttp {
    private static final Logger log = LoggerFactory.getLogger(DashboardHttp.class);
    /** Per request: a bug every request hits must not log once per request. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);

    private DashboardHttp() {}

    static boolean owns(String path) {
        return path.equals("/dashboard") || path.startsWith("/dashboard/");
    }

    static void handle(ChannelHandlerContext ctx, FullHttpRequest req, EdgeContext edge,
                       Function<DashboardRequest, CompletionStage<DashboardResponse>> dashboard) {
        // Read everything needed from the request now: it is released when this method returns.
        boolean keepAlive = !edge.drain().begun() && HttpUtil.isKeepAlive(req);
        boolean http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
        boolean head = HttpMethod.HEAD.equals(req.method());
        DashboardRequest request = new DashboardRequest(req.method().name(), req.uri(),
                req.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(req.content()));
        CompletionStage<DashboardResponse> answer;
        try {
            answer = dashboard.apply(request);
        } catch (RuntimeException e) {
            edge.counters().handlerErrors.increment();
            limitedLog.error("failed", "Dashboard failed on {} {}", request.method(), request.path(), e);
            write(ctx, HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error"),
                    keepAlive, http10);
            return;
        }
        answer.whenComplete((r, err) -> {
            if (err != null || r == null) {
                edge.counters().handlerErrors.increment();
                write(ctx, HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error"),
                        keepAlive, http10);
            } else if (r.stream() != null) {
                openStream(ctx, r);
            } else {
                FullHttpResponse response = HttpResponses.of(HttpResponseStatus.valueOf(r.status()), r.contentType(),
                        r.body());
                headers(response, r.headers());
                if (head) {
                    response.content().clear();
                }
                write(ctx, response, keepAlive, http10);
            }
        });
    }

    private static void openStream(ChannelHandlerContext ctx, DashboardResponse r) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        headers(head, r.headers());
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        r.stream().accept(new EventStream(ctx.channel()));
    }

    private static void headers(HttpResponse response, Map<String, String> headers) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean http10) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The chunks of one event stream. A page that does not read has its chunks dropped, not queued. */
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
