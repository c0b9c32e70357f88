package dev.switchboard.server.edge;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.engine.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded socket: refuses a bad target with its close code, opens the engine session, hands it every
 * text frame, answers pings and close frames, rejects binary frames, and runs the liveness check (§1.3):
 * after {@code activityTimeout} of silence (an {@link IdleStateEvent} from the IdleStateHandler in front) it
 * sends a ping control frame, and closes 4201 when nothing arrives within {@code pongTimeout}. Any received
 * frame counts as activity. All of it on the channel's event loop, so no field needs a lock.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
    private static final byte[] BINARY_REJECTED = Frame.of(
            ServerMessage.Error.plain("Binary frames are not supported")).bytes();

    private final WebSocketTarget target;
    private final Sessions sessions;
    private final EdgeCounters counters;
    private final long pongTimeoutMillis;

    private NettyPeer peer;
    private Sessions.Session session;
    private boolean sessionClosed;
    private ScheduledFuture<?> pongTimer;

    WebSocketFrameHandler(WebSocketTarget target, Sessions sessions, EdgeCounters counters, long pongTimeoutMillis) {
        this.target = target;
        this.sessions = sessions;
        this.counters = counters;
        this.pongTimeoutMillis = pongTimeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        peer = new NettyPeer(ctx.channel(), counters);
    }

    /** The 101 response is out: refuse the target or open the session. On the event loop. */
    void upgraded(ChannelHandlerContext ctx) {
        if (target.refused()) {
            counters.upgradesRefused.increment();
            peer.close(target.refusal(), target.reason());
            return;
        }
        try {
            session = sessions.open(target.appKey(), peer);
        } catch (RuntimeException e) {
            counters.handlerErrors.increment();
            log.error("Opening a session for {} failed", peer.remoteAddress(), e);
            peer.closeWithStatus(WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code(), "Internal server error");
        }
        if (session != null) {
            Sessions.Session s = session;
            peer.onSlowConsumer(s::onSlowConsumer);
        }
        if (session != null && !ctx.channel().isActive()) {
            // Closed while the engine was opening it: channelInactive already ran and found no session.
            closeSession();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        try {
            alive();
            if (frame instanceof TextWebSocketFrame) {
                onText(((TextWebSocketFrame) frame).text());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame) {
                onCloseFrame(ctx, (CloseWebSocketFrame) frame);
            } else if (frame instanceof BinaryWebSocketFrame) {
                counters.binaryFramesRejected.increment();
                if (!peer.closing()) {
                    ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(BINARY_REJECTED)));
                }
            }
            // Pong frames: nothing beyond counting as activity. Continuations are aggregated in front of us.
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void onText(String text) {
        if (session == null || peer.closing()) {
            return;
        }
        try {
            session.onText(text);
        } catch (RuntimeException e) {
            // An engine bug must not take the socket (or the event loop) down; it is logged and counted.
            counters.handlerErrors.increment();
            log.error("Handling a frame from {} failed", peer.remoteAddress(), e);
        }
    }

    private void onCloseFrame(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
        if (peer.closing()) {
            // The client's answer to our close frame: the handshake is complete.
            ctx.close();
            return;
        }
        int status = frame.statusCode();
        CloseWebSocketFrame reply = status < 0
                ? new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                : new CloseWebSocketFrame(status, "");
        ctx.writeAndFlush(reply).addListener(f -> ctx.close());
    }

    private void alive() {
        if (pongTimer != null) {
            pongTimer.cancel(false);
            pongTimer = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && ((IdleStateEvent) evt).state() == IdleState.READER_IDLE) {
            if (pongTimer == null && !peer.closing()) {
                counters.pingsSent.increment();
                ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
                pongTimer = ctx.executor().schedule(() -> {
                    pongTimer = null;
                    counters.pongTimeouts.increment();
                    peer.close(CloseCode.PONG_NOT_RECEIVED, CloseCode.PONG_NOT_RECEIVED.text());
                }, pongTimeoutMillis, TimeUnit.MILLISECONDS);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        alive();
        closeSession();
        ctx.fireChannelInactive();
    }

    private void closeSession() {
        if (session != null && !sessionClosed) {
            sessionClosed = true;
            try {
                session.onClose();
            } catch (RuntimeException e) {
                counters.handlerErrors.increment();
                log.error("Closing the session of {} failed", peer.remoteAddress(), e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // A fragmented message over max_frame_bytes (the aggregator): 1009, as the decoder does for one frame.
            counters.oversizeFramesClosed.increment();
            peer.closeWithStatus(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "Message too big");
        } else if (cause instanceof CorruptedFrameException) {
            // The decoder already sent its close frame (1002 or 1009) and closes the channel.
            if (String.valueOf(cause.getMessage()).contains("exceeds")) {
                counters.oversizeFramesClosed.increment();
            }
            ctx.close();
        } else if (cause instanceof IOException) {
            log.debug("I/O error on {}: {}", peer.remoteAddress(), cause.toString());
            ctx.close();
        } else {
            counters.handlerErrors.increment();
            log.warn("Unexpected error on {}; closing", peer.remoteAddress(), cause);
            ctx.close();
        }
    }
}
