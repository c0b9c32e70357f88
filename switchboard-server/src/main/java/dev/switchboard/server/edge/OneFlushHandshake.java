package dev.switchboard.server.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;

/**
 * The WebSocket handshake with the 101 and what the session writes when it opens ({@code connection_established})
 * sent in one flush: one send(2) per client instead of two, in a reconnect storm where the sends are the largest
 * single cost of a client (docs/performance.md, "A cold node and the connect path").
 *
 * <p>Netty's handshaker writes <em>and flushes</em> the 101, and only once it is written takes the HTTP codec out
 * of the pipeline (its write listener removes the codec by name). The session cannot open before the codec is out:
 * the codec's encoder refuses a frame's bytes after a response. So the handshaker's flush is held back, the codec
 * is replaced at once by a pass-through under the same name (the handshaker's listener removes that one when the
 * 101 is written), the session opens and writes behind the 101, and one flush sends both, in that order. A
 * session that writes nothing at once (an app still being read from the apps database) gets the 101 flushed
 * alone, as before.
 */
final class OneFlushHandshake {
    /** The name of the flush-holding handler while the handshaker runs (a pipeline needs unique names). */
    static final String HOLD = "hold-flush";

    private OneFlushHandshake() {}

    /**
     * Completes the handshake of {@code req} on {@code ch} (on its event loop), runs {@code open} right after the 101
     * is written (the HTTP codec out of the way, the WebSocket decoder in) and then flushes once. The future fails when
     * the 101 cannot be written; {@code open} is not run when that is known at once. Throws what the handshaker throws
     * before touching the pipeline (a request that is not a valid handshake).
     */
    static ChannelFuture handshake(WebSocketServerHandshaker handshaker, Channel ch, FullHttpRequest req,
                                   Runnable open) {
        ChannelPipeline p = ch.pipeline();
        // Last in the pipeline: the handshaker writes from the channel, so its flush meets this handler first.
        p.addLast(HOLD, HoldFlush.INSTANCE);
        ChannelFuture written;
        try {
            written = handshaker.handshake(ch, req);
        } finally {
            p.remove(HOLD);
        }
        if (written.isDone() && !written.isSuccess()) {
            return written; // the socket is gone: nothing to open
        }
        try {
            ChannelHandlerContext codec = p.context(HttpServerCodec.class);
            if (codec != null) {
                p.replace(codec.handler(), codec.name(), PassThrough.INSTANCE);
            }
            ServerFrames.dropEncoder(p);
            open.run();
        } finally {
            ch.flush(); // the 101 and what the session wrote; nothing at all when the session flushed them itself
        }
        return written;
    }

    /** Drops flushes: nothing reaches the socket until {@link #handshake} flushes once. Holds no state. */
    @ChannelHandler.Sharable
    private static final class HoldFlush extends ChannelOutboundHandlerAdapter {
        static final HoldFlush INSTANCE = new HoldFlush();

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // Held: the 101 stays in the outbound buffer, written but not sent, until the session has written too.
        }
    }

    /**
     * Stands in for the HTTP codec from the moment the 101 is written until the handshaker's listener removes it by
     * the codec's name; passes everything through (every method of the adapter is skipped by Netty). Holds no state.
     */
    @ChannelHandler.Sharable
    private static final class PassThrough extends ChannelDuplexHandler {
        static final PassThrough INSTANCE = new PassThrough();
    }
}
