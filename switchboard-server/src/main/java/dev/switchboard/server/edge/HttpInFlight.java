package dev.switchboard.server.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Knows whether an HTTP connection is between a request's first byte and its response, so that graceful
 * shutdown can close idle keep-alive connections at once and let busy ones finish their request first. Sits
 * right after the codec, before the aggregator. State is touched only on the channel's event loop.
 */
final class HttpInFlight extends ChannelDuplexHandler {
    /** Told where a request's head and body end and when its response went (its deadlines). */
    private final HttpGuard guard;
    private boolean busy;
    private boolean closeWhenIdle;

    HttpInFlight(HttpGuard guard) {
        this.guard = guard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            busy = true;
            guard.headDone();
        }
        if (msg instanceof LastHttpContent) {
            guard.bodyDone(); // a FullHttpRequest is both: head, then body
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // A FullHttpResponse is a LastHttpContent too; an interim "100 Continue" does not end the request.
        boolean ends = msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        ctx.write(msg, promise);
        if (ends) {
            busy = false;
            guard.responded();
            if (closeWhenIdle) {
                promise.addListener(f -> ctx.close());
            }
        }
    }

    /** Graceful shutdown: close now if idle, else after the response being prepared. On any thread. */
    static void drain(Channel channel) {
        channel.eventLoop().execute(() -> {
            HttpInFlight h = channel.pipeline().get(HttpInFlight.class);
            if (h == null) {
                return; // upgraded to WebSocket meanwhile; the engine closes those
            }
            if (h.busy) {
                h.closeWhenIdle = true;
            } else {
                channel.close();
            }
        });
    }
}
