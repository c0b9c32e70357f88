package dev.switchboard.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import dev.switchboard.server.config.ServerConfig;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of a connection before its WebSocket upgrade (slowloris), and its slot of {@link HttpConnections}.
 * It sits in front of the HTTP codec and sees the raw bytes; {@link HttpInFlight}, behind the codec, tells it
 * where a request's head and body end and when its response has gone. Its event loop's sweep
 * ({@link LoopSweeps#httpGuards}) checks it twice a second:
 * <ul>
 *   <li>nothing yet: the head must be complete {@code http_head_timeout_seconds} after the connection opened
 *       (nothing arrived: a plain close);</li>
 *   <li>a head under way: complete within {@code http_head_timeout_seconds} of its first byte, else 408;</li>
 *   <li>a body: complete within {@code http_body_timeout_seconds} of its head, and after the first 5 s at an
 *       average of at least {@code http_body_min_bytes_per_second}, else 408;</li>
 *   <li>between requests on a keep-alive connection: closed after {@code http_idle_timeout_seconds};</li>
 *   <li>while the server prepares the response: no deadline (that is ours to bound).</li>
 * </ul>
 * Removed from the pipeline at the upgrade, which gives the slot back; an upgraded socket has its own liveness.
 * Touched only on the channel's event loop.
 */
final class HttpGuard extends ChannelInboundHandlerAdapter implements LoopSweep.Member {
    /** A body's first seconds are not held to the minimum rate: a TCP window may open slowly. */
    static final long BODY_RATE_GRACE_NANOS = 5_000_000_000L;
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            + "content-length: 29\r\nconnection: close\r\n\r\n{\"error\":\"Request timed out\"}")
            .getBytes(StandardCharsets.US_ASCII);

    enum Kind { HEAD, BODY, BODY_RATE, IDLE }

    /** The settings, in nanoseconds. */
    record Deadlines(long headNanos, long bodyNanos, long bodyMinBytesPerSecond, long idleNanos) {
        static Deadlines of(ServerConfig c) {
            return new Deadlines(TimeUnit.SECONDS.toNanos(c.httpHeadTimeoutSeconds()),
                    TimeUnit.SECONDS.toNanos(c.httpBodyTimeoutSeconds()), c.httpBodyMinBytesPerSecond(),
                    TimeUnit.SECONDS.toNanos(c.httpIdleTimeoutSeconds()));
        }
    }

    private enum State { FIRST, HEAD, BODY, BUSY, IDLE }

    private final HttpConnections connections;
    private final HttpConnections.Slot slot;
    private final LoopSweep<HttpGuard> sweep;
    private final EdgeCounters counters;
    private ChannelHandlerContext ctx;
    private State state = State.FIRST;
    /** When the current state began (accept, first byte, head, response). */
    private long sinceNanos;
    private long bodyBytes;
    private int heads;
    private int responses;
    private boolean released;
    /** This guard's slot in its sweep; -1 when not in it. */
    private int sweepIndex = -1;

    HttpGuard(HttpConnections connections, HttpConnections.Slot slot, LoopSweep<HttpGuard> sweep,
              EdgeCounters counters) {
        this.connections = connections;
        this.slot = slot;
        this.sweep = sweep;
        this.counters = counters;
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
        sinceNanos = System.nanoTime();
        sweep.add(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        if (!released) {
            released = true;
            sweep.remove(this);
            connections.release(slot);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            if (state == State.FIRST || state == State.IDLE) {
                state = State.HEAD;
                sinceNanos = System.nanoTime();
            } else if (state == State.BODY) {
                bodyBytes += b.readableBytes();
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** A request's head has been parsed (from {@link HttpInFlight}). */
    void headDone() {
        heads++;
        state = State.BODY;
        bodyBytes = 0;
        sinceNanos = System.nanoTime();
    }

    /** The request's body is complete: the server's turn. */
    void bodyDone() {
        state = State.BUSY;
    }

    /** A response has gone; with no request behind it the connection is idle. */
    void responded() {
        responses++;
        if (state == State.BUSY && responses >= heads) {
            state = State.IDLE;
            sinceNanos = System.nanoTime();
        }
    }

    /** From the sweep, on the event loop. */
    void check(long now, Deadlines d) {
        long age = now - sinceNanos;
        switch (state) {
            case FIRST -> {
                if (age >= d.headNanos()) {
                    close(Kind.HEAD, false);
                }
            }
            case HEAD -> {
                if (age >= d.headNanos()) {
                    close(Kind.HEAD, true);
                }
            }
            case BODY -> {
                if (age >= d.bodyNanos()) {
                    close(Kind.BODY, true);
                } else if (d.bodyMinBytesPerSecond() > 0 && age >= BODY_RATE_GRACE_NANOS
                        && bodyBytes * 1_000_000_000L < d.bodyMinBytesPerSecond() * age) {
                    close(Kind.BODY_RATE, true);
                }
            }
            case IDLE -> {
                if (age >= d.idleNanos()) {
                    close(Kind.IDLE, false);
                }
            }
            case BUSY -> { }
        }
    }

    private void close(Kind kind, boolean answer) {
        counters.httpTimeout(kind);
        state = State.BUSY; // once
        release();
        if (answer) {
            // Written below the codec, raw: the request is not complete, so the encoder has nothing to answer.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
