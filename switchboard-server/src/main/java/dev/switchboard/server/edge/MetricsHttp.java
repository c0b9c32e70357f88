package dev.switchboard.server.edge;

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
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import dev.switchboard.server.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics listener's only handler: {@code GET /metrics} (Prometheus text), a JSON 404 or 405 for anything else.
 * It has no WebSocket upgrade, API or dashboard, so exposing this port to a scraper's network exposes nothing else.
 */
final class MetricsHttp extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(MetricsHttp.class);
    /** What a client can make happen again and again is logged at most once per 30 s per kind, with a count. */
    private static final RateLimitedLog limited = new RateLimitedLog(log);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> metrics;
    private final EdgeCounters counters;

    MetricsHttp(Supplier<String> metrics, EdgeCounters counters) {
        this.metrics = metrics;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse response;
        boolean get = HttpMethod.GET.equals(req.method()) || HttpMethod.HEAD.equals(req.method());
        if (!req.decoderResult().isSuccess()) {
            response = HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "Bad request");
        } else if (!HttpRouter.pathOf(req.uri()).equals("/metrics")) {
            response = HttpResponses.error(HttpResponseStatus.NOT_FOUND, "Not found: this port serves GET /metrics");
        } else if (!get) {
            response = HttpResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed");
        } else {
            response = scrape(metrics, counters);
        }
        if (HttpMethod.HEAD.equals(req.method())) {
            response.content().clear();
        }
        boolean keepAlive = req.decoderResult().isSuccess() && HttpUtil.isKeepAlive(req);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The Prometheus text as an answer; a failing registry is a 500, not a stack trace to the scraper. */
    static FullHttpResponse scrape(Supplier<String> metrics, EdgeCounters counters) {
        try {
            return HttpResponses.of(HttpResponseStatus.OK, CONTENT_TYPE, metrics.get().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            counters.handlerErrors.increment();
            limited.error("scrape-failed", "Metrics failed", e);
            return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
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
