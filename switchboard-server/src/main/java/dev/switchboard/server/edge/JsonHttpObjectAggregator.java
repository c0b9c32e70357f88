package dev.switchboard.server.edge;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's aggregator, but an oversized body gets our 413 with a JSON body (Netty's has none), and the
 * connection is closed once the rest of the body has been read and thrown away. Closing at once, with the
 * client's bytes still unread in our receive buffer, makes the kernel answer with a reset, and a client that
 * writes its whole body before reading (most do) then sees ECONNRESET instead of the 413. The discard is
 * bounded by {@code max_http_discard_bytes} and {@link #DISCARD_MILLIS}; the rest of the body cannot be trusted
 * as a next request, so the connection closes either way.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
    /** How long a client gets to finish writing an oversized body (documented with max_http_discard_bytes). */
    static final long DISCARD_MILLIS = 5_000;

    private final EdgeCounters counters;
    private final long maxDiscardBytes;
    private boolean discarding;
    private long discarded;
    private ScheduledFuture<?> discardTimer;
    private ChannelFuture response;

    JsonHttpObjectAggregator(int maxContentLength, long maxDiscardBytes, EdgeCounters counters) {
        super(maxContentLength);
        this.counters = counters;
        this.maxDiscardBytes = maxDiscardBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        counters.httpTooLarge.increment();
        FullHttpResponse r = HttpResponses.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "Request body too large (max " + maxContentLength() + " bytes)");
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        discarding = true;
        discarded = 0;
        response = ctx.writeAndFlush(r);
        if (oversized instanceof LastHttpContent) {
            // The whole request is already read (a full message): nothing left to discard.
            closeAfterDiscard(ctx);
        } else {
            discardTimer = ctx.executor().schedule(() -> closeAfterDiscard(ctx), DISCARD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (!discarding) {
            super.decode(ctx, msg, out);
            return;
        }
        // The caller releases msg after decode.
        if (msg instanceof HttpContent c) {
            discarded += c.content().readableBytes();
            if (msg instanceof LastHttpContent || discarded > maxDiscardBytes) {
                closeAfterDiscard(ctx);
            }
        } else {
            // A next request pipelined behind the oversized one: we said Connection: close.
            closeAfterDiscard(ctx);
        }
    }

    private void closeAfterDiscard(ChannelHandlerContext ctx) {
        if (discardTimer != null) {
            discardTimer.cancel(false);
            discardTimer = null;
        }
        // Once the 413 is out, so that it goes before the FIN.
        response.addListener(ChannelFutureListener.CLOSE);
    }
}
