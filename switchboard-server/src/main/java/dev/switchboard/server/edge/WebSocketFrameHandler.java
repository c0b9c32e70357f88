package dev.switchboard.server.edge;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Sessions;
import dev.switchboard.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded socket: refuses a bad target with its close code, opens the engine session, hands it every
 * text frame, answers pings and close frames, rejects binary frames, and takes part in the liveness check
 * (§1.3): its event loop's sweep ({@link LoopSweeps#liveness}) pings it after {@code activityTimeout} of silence and closes it
 * 4201 when nothing arrives within {@code pongTimeout}. Any received frame counts as activity. All of it on the
 * channel's event loop, so no field needs a lock.
 *
 * <p>Memory: this is one of only two handlers an idle socket keeps (Netty's decoder and this: what the server
 * sends is encoded by {@link ServerFrames}). Fragmented messages are rare, so the {@link WebSocketFrameAggregator}
 * is put in front of this handler only when the first fragment arrives, and stays for the rest of the socket's
 * life. Per-server settings are read through the
 * {@link EdgeContext}, not copied into each socket.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter implements LoopSweep.Member {
    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
    /** What a client can make happen again and again is logged at most once per 30 s per kind, with a count. */
    private static final RateLimitedLog limited = new RateLimitedLog(log);
    private static final byte[] BINARY_REJECTED = Frame.of(
            ServerMessage.Error.plain("Binary frames are not supported")).bytes();

    private final EdgeContext edge;
    /** Until {@link #upgraded}; then null (nothing needs it afterwards). */
    private WebSocketTarget target;

    private ChannelHandlerContext ctx;
    private NettyPeer peer;
    private Sessions.Session session;
    private boolean sessionClosed;
    /** Whether this socket holds a slot of {@code max_node_connections} (given back when it closes). */
    private boolean holdsSlot;
    private boolean inactive;
    /** Whether the aggregator has been put in front of us (the first fragmented message). */
    private boolean aggregating;

    // Liveness, read and written by this socket's event loop only (here and in its sweep).
    /** This socket's slot in its event loop's sweep; -1 when not in it. */
    private int sweepIndex = -1;
    private long lastReadNanos;
    private long pingSentNanos;
    private boolean awaitingPong;

    WebSocketFrameHandler(WebSocketTarget target, EdgeContext edge) {
        this.target = target;
        this.edge = edge;
    }

    @Override
    public int sweepIndex() {
        return sweepIndex;
    }

    @Override
    public void sweepIndex(int index) {
        sweepIndex = index;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        peer = new NettyPeer(ctx.channel(), edge.counters());
        lastReadNanos = System.nanoTime();
        edge.sweeps(ctx.channel().eventLoop()).liveness().add(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopLiveness();
    }

    /**
     * The 101 response is written (and flushed together with whatever this writes: {@link OneFlushHandshake}):
     * refuse the target or open the session. On the event loop.
     */
    void upgraded(ChannelHandlerContext ctx) {
        WebSocketTarget target = this.target;
        this.target = null;
        if (target.refused()) {
            edge.counters().upgradesRefused.increment();
            peer.close(target.refusal(), target.reason());
            return;
        }
        if (inactive) {
            // Closed during the handshake: channelInactive has run, and nothing would give a slot back.
            return;
        }
        if (!edge.limits().tryOpen()) {
            // 4100 makes the clients back off and come again, behind a balancer perhaps to another node.
            edge.counters().overCapacityClosed.increment();
            peer.close(CloseCode.OVER_CAPACITY, CloseCode.OVER_CAPACITY.text());
            return;
        }
        holdsSlot = true;
        try {
            session = edge.sessions().open(target.appKey(), target.origin(), target.client(), peer);
        } catch (RuntimeException e) {
            edge.counters().handlerErrors.increment();
            limited.error("open-failed", "Opening a session for {} failed", peer.remoteAddress(), e);
            peer.closeWithStatus(WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code(), "Internal server error");
        }
        if (session != null) {
            peer.onSlowConsumer(session);
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
        alive();
        if (!frame.isFinalFragment() && !aggregating
                && (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)) {
            // The first fragment of a message: from now on the aggregator in front reassembles messages and
            // hands us whole ones. This fragment is its first input; it owns (and releases) the frame.
            aggregating = true;
            WebSocketFrameAggregator aggregator = new WebSocketFrameAggregator(edge.config().maxFrameBytes());
            ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", aggregator);
            try {
                aggregator.channelRead(ctx.pipeline().context(aggregator), frame);
            } catch (Exception e) {
                exceptionCaught(ctx, e);
            }
            return;
        }
        try {
            if (frame instanceof TextWebSocketFrame) {
                if (!ByteBufUtil.isText(frame.content(), StandardCharsets.UTF_8)) {
                    // RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007; decoding it
                    // with replacement characters would hand the engine text the client never sent.
                    edge.counters().invalidUtf8Closed.increment();
                    peer.closeWithStatus(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "Invalid UTF-8 in text frame");
                } else {
                    onText(((TextWebSocketFrame) frame).text());
                }
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(ServerFrames.pong(ctx.alloc(), frame.content()));
            } else if (frame instanceof CloseWebSocketFrame) {
                onCloseFrame(ctx, (CloseWebSocketFrame) frame);
            } else if (frame instanceof BinaryWebSocketFrame) {
                edge.counters().binaryFramesRejected.increment();
                if (!peer.closing()) {
                    ctx.writeAndFlush(ServerFrames.text(ctx.alloc(), BINARY_REJECTED));
                }
            }
            // Pong frames: nothing beyond counting as activity. Continuation frames reach us only without a first
            // fragment (the aggregator, once in front, takes them): dropped, as the aggregator drops them.
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
            edge.counters().handlerErrors.increment();
            limited.error("frame-failed", "Handling a frame from {} failed", peer.remoteAddress(), e);
        }
    }

    private void onCloseFrame(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
        if (peer.closing()) {
            // The client's answer to our close frame: the handshake is complete.
            ctx.close();
            return;
        }
        int status = frame.statusCode();
        // Echo the client's status (RFC 6455 §5.5.1); Netty lets codes above 4999 through, which §7.4.2 leaves
        // undefined, so those are answered as a protocol error rather than sent back.
        ByteBuf reply = status < 0
                ? ServerFrames.close(ctx.alloc(), WebSocketCloseStatus.NORMAL_CLOSURE)
                : status > 4999 ? ServerFrames.close(ctx.alloc(), WebSocketCloseStatus.PROTOCOL_ERROR)
                : ServerFrames.close(ctx.alloc(), status, "");
        if (peer != null) {
            peer.releaseHeld(); // an event written before the client's close goes out before our answer
        }
        ctx.writeAndFlush(reply).addListener(f -> ctx.close());
    }

    private void alive() {
        lastReadNanos = System.nanoTime();
        awaitingPong = false;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (aggregating) {
            // The aggregator holds fragments back; like the IdleStateHandler this replaces, any frame counts.
            alive();
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * Called by the sweep (on the event loop) with its clock: after {@code activityNanos} of silence a ping,
     * then, without any frame for {@code pongNanos}, 4201. The next silence is counted from the ping, as the
     * {@code IdleStateHandler} this replaces re-armed itself after each idle event.
     */
    void check(long now, long activityNanos, long pongNanos) {
        if (awaitingPong) {
            if (now - pingSentNanos >= pongNanos) {
                awaitingPong = false;
                lastReadNanos = now;
                edge.counters().pongTimeouts.increment();
                peer.close(CloseCode.PONG_NOT_RECEIVED, CloseCode.PONG_NOT_RECEIVED.text());
            }
        } else if (now - lastReadNanos >= activityNanos) {
            lastReadNanos = now;
            if (!peer.closing()) {
                edge.counters().pingsSent.increment();
                ctx.writeAndFlush(ServerFrames.ping(ctx.alloc()));
                awaitingPong = true;
                pingSentNanos = now;
            }
        }
    }

    private void stopLiveness() {
        awaitingPong = false;
        if (sweepIndex >= 0) {
            edge.sweeps(ctx.channel().eventLoop()).liveness().remove(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopLiveness();
        inactive = true;
        if (holdsSlot) {
            holdsSlot = false;
            edge.limits().closed();
        }
        closeSession();
        ctx.fireChannelInactive();
    }

    private void closeSession() {
        if (session != null && !sessionClosed) {
            sessionClosed = true;
            try {
                session.onClose();
            } catch (RuntimeException e) {
                edge.counters().handlerErrors.increment();
                limited.error("close-failed", "Closing the session of {} failed", peer.remoteAddress(), e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // A fragmented message over max_frame_bytes (the aggregator): 1009, as the decoder does for one frame.
            edge.counters().oversizeFramesClosed.increment();
            peer.closeWithStatus(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "Message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException bad) {
            // The decoder (closeOnProtocolViolation off) only marked the stream corrupt and dropped the rest: the close
            // frame is ours, so every violation gets its code, even one found in the client's own close frame, for
            // which Netty would close without any.
            if (bad.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
                edge.counters().oversizeFramesClosed.increment();
            }
            peer.failWithStatus(bad.closeStatus().code(), bad.closeStatus().reasonText());
        } else if (cause instanceof CorruptedFrameException) {
            if (String.valueOf(cause.getMessage()).contains("exceeds")) {
                edge.counters().oversizeFramesClosed.increment();
            }
            peer.failWithStatus(WebSocketCloseStatus.PROTOCOL_ERROR.code(), "Protocol error");
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException
                || TlsContexts.isPeerTlsFailure(cause)) {
            // A client that hangs up, even mid-way through a fragmented message, or whose TLS fails, is not a
            // fault of ours.
            log.debug("I/O or TLS error on {}: {}", peer.remoteAddress(), cause.toString());
            ctx.close();
        } else {
            edge.counters().handlerErrors.increment();
            limited.warn("unexpected", "Unexpected error on {}; closing", peer.remoteAddress(), cause);
            ctx.close();
        }
    }
}
