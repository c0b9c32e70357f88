package dev.switchboard.server.edge;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import dev.switchboard.server.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics listener's only handler: {@code GET /metrics} from the metrics port (Prometheus text), a JSON 404 or
 * 405 for anything else. It has no WebSocket upgrade, API or dashboard, so exposing this port to a scraper's network
 * exposes nothing else.
 */
final class MetricsHttp extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(MetricsHttp.class);
    /** What a client can make happen again and again is logged at most once per 30 s per kind, with a count. */
    private static final RateLimitedLog limited = new RateLimitedLog(log);
    /** Prometheus's text exposition format, as the metrics port answers it. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpPort metrics;
    private final EdgeCounters counters;

    MetricsHttp(HttpPort metrics, EdgeCounters counters) {
        this.metrics = metrics;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean head = HttpMethod.HEAD.equals(req.method());
        boolean get = HttpMethod.GET.equals(req.method()) || head;
        boolean keepAlive = req.decoderResult().isSuccess() && HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            write(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "Bad request"), head, keepAlive);
            return;
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (!path.equals("/metrics")) {
            write(ctx, HttpResponses.error(HttpResponseStatus.NOT_FOUND, "Not found: this port serves GET /metrics"),
                    head, keepAlive);
            return;
        }
        if (!get) {
            write(ctx, HttpResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed"), head,
                    keepAlive);
            return;
        }
        HttpCall call = new HttpCall(req.method().name(), path, q < 0 ? "" : uri.substring(q + 1),
                req.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(req.content()), null);
        try {
            metrics.answer(call).whenComplete((reply, failure) -> {
                FullHttpResponse response = failure != null || reply == null ? failed(failure)
                        : HttpResponses.of(reply, false);
                if (ctx.executor().inEventLoop()) {
                    write(ctx, response, head, keepAlive);
                } else {
                    ctx.executor().execute(() -> write(ctx, response, head, keepAlive));
                }
            });
        } catch (RuntimeException e) {
            write(ctx, failed(e), head, keepAlive);
        }
    }

    /** A failing registry is a 500, not a stack trace to the scraper. */
    private FullHttpResponse failed(Throwable failure) {
        counters.handlerErrors.increment();
        limited.error("scrape-failed", "Metrics failed", failure);
        return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean head, boolean keepAlive) {
        if (head) {
            response.content().clear();
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("I/O error on metrics connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            counters.handlerErrors.increment();
            limited.warn("connection-error", "Metrics connection error on {}; closing", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
