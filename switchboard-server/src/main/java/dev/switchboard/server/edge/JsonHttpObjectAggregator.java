package dev.switchboard.server.edge;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's aggregator, but an oversized body gets our 413 with a JSON body (Netty's has none), and the
 * connection is closed: the rest of the body is still on the wire and cannot be trusted as a next request.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
    private final EdgeCounters counters;

    JsonHttpObjectAggregator(int maxContentLength, EdgeCounters counters) {
        super(maxContentLength);
        this.counters = counters;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        counters.httpTooLarge.increment();
        FullHttpResponse r = HttpResponses.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "Request body too large (max " + maxContentLength() + " bytes)");
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
