package dev.switchboard.server.edge;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Peer;
import dev.switchboard.server.engine.Sessions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link Peer} over one upgraded Netty channel.
 *
 * <p>Frames are shared: one {@link Frame} becomes one unreleasable direct buffer holding the whole WebSocket
 * frame (header and payload: server frames are unmasked, so the bytes are the same for every socket), made
 * once per frame, not per socket, and kept on the frame ({@link WireFrame}). A socket that goes through Netty
 * writes a duplicate of it (a view with its own indices, no copy) straight to the transport: no per-socket frame
 * object, header buffer or payload copy. The buffer is never released by Netty and is freed by the GC with the
 * frame.
 *
 * <p>A lone frame skips Netty's outbound buffer: when nothing is queued, the shared frame itself is held until
 * the flush and sent to the socket's descriptor there, one send(2) with no view, outbound-buffer entry, promise or
 * flush bookkeeping (the common case at low rates to many sockets: 10k subscribers × 10 events/s,
 * docs/performance.md sections 6 and 8). A second frame before the flush, a partial write or a close sends
 * everything through Netty again, in order, so bursts still go out as one writev. A frame sent on its own
 * ({@link #send}) with nothing queued does not even make the shared buffer: it is encoded into the event loop's
 * scratch buffer and sent from there (most of what a connecting client is sent goes to it alone).
 *
 * <p>Backpressure: the channel's write-buffer water marks bound what a socket may have queued. A write to a
 * channel that is over its high mark drops the frame and closes the socket once with 4101 (slow consumer):
 * we never buffer without bound.
 */
final class NettyPeer implements Peer {

    /** After our close frame, how long the client gets to answer with its own before we drop the TCP connection. */
    static final long CLOSE_TIMEOUT_MILLIS = 1000;
    /**
     * How long a closing socket's queued frames (at most the write-buffer high mark) get to reach a client that
     * still reads before the TCP connection is dropped anyway (docs/limits.md, slow consumers).
     */
    static final long CLOSE_BACKLOG_MILLIS = 10_000;
    /** A close frame's reason must fit in 123 bytes (RFC 6455 §5.5). */
    private static final int MAX_REASON_BYTES = 123;

    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(NettyPeer.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Channel channel;
    private final EdgeCounters counters;
    /** A TLS socket: frames must go through the TLS handler at the head, so they start at the tail instead. */
    private final boolean tls;
    /** Set once, by compare-and-set through {@link #CLOSING} (a field, not an AtomicBoolean: 16 bytes a socket). */
    private volatile boolean closing;
    /** Plain epoll/io_uring socket: a lone frame can be written to its file descriptor directly. */
    private final boolean direct;
    /**
     * The one frame written since the last flush while Netty's outbound buffer was empty: the flush hands it to the
     * socket itself (one send(2), no outbound-buffer entry). A second frame first sends this one through Netty.
     * The shared frame itself, not a per-socket view: a view is made only when the frame goes through Netty.
     * Event-loop only.
     */
    private WireFrame held;
    /** Told of a slow-consumer close; null before the session opens. */
    private Sessions.Session session;
    // The channel's loop, outbound buffer and file descriptor, kept here so that a fan-out's two passes over
    // 10k sockets touch this object and the buffer (write) or the descriptor (flush), not the channel and its
    // unsafe as well: each object a pass touches is a cache miss per socket (docs/performance.md).
    private final EventLoop loop;
    /** Netty's; it drops its own reference on close (never replaces it), so ours stays the one writes queue in. */
    private final ChannelOutboundBuffer out;
    /** The socket's descriptor for the direct write; null where {@link #direct} is false. */
    private final FileDescriptor fd;
    NettyPeer(Channel channel, EdgeCounters counters) {
        this.channel = channel;
        this.counters = counters;
        this.tls = channel.pipeline().get(ClientPipeline.TLS_HANDLER) != null;
        this.loop = channel.eventLoop();
        this.out = channel.unsafe().outboundBuffer();
        // -Dswitchboard.noDirectWrite=true turns it off, to measure it against Netty's path (docs/performance.md).
        this.direct = !tls && out != null && channel instanceof UnixChannel
                && !Boolean.getBoolean("switchboard.noDirectWrite");
        this.fd = direct ? ((UnixChannel) channel).fd() : null;
    }

    @Override
    public ScheduledExecutorService executor() {
        return loop;
    }

    /**
     * The engine's back-pressure: with auto-read off Netty stops reading after the receive buffer being handled,
     * so the client's sends fill its own TCP buffers instead of our memory.
     */
    @Override
    public void pauseReads(boolean paused) {
        if (paused) {
            counters.readsPaused.increment();
        }
        channel.config().setAutoRead(!paused);
    }

    @Override
    public void write(Frame frame) {
        if (closing) {
            counters.framesDroppedAfterClose.increment();
            return;
        }
        WireFrame wire = WireFrame.of(frame);
        boolean onLoop = loop.inEventLoop();
        // Nothing queued means under the high water mark; a socket closed since is caught by the flush.
        if (direct && onLoop && held == null && out.totalPendingWriteBytes() == 0 && wire.address != 0) {
            held = wire;
            return;
        }
        if (!channel.isActive()) {
            counters.framesDroppedAfterClose.increment();
            return;
        }
        if (!writable()) {
            return;
        }
        ChannelHandlerContext first;
        if (!tls && onLoop && (first = channel.pipeline().firstContext()) != null) {
            releaseHeld(); // the held frame goes first
            // Already a whole WebSocket frame: straight to the transport (the head of the pipeline), past the
            // handlers, none of which has anything to do with an outbound ready-made frame.
            first.write(wire.view(), channel.voidPromise());
        } else {
            channel.write(wire.view(), channel.voidPromise());
        }
    }

    /** False, after closing the socket as a slow consumer (once), when it is over its high water mark. */
    private boolean writable() {
        if (channel.isWritable()) {
            return true;
        }
        counters.framesDroppedAfterClose.increment();
        if (!closing) {
            counters.slowConsumerClosed.increment();
            Sessions.Session s = session;
            if (s != null) {
                s.onSlowConsumer();
            }
            close(CloseCode.SLOW_CONSUMER, CloseCode.SLOW_CONSUMER.text());
        }
        return false;
    }

    /** Told once when this peer is closed as a slow consumer. Set on the event loop. */
    void onSlowConsumer(Sessions.Session session) {
        this.session = session;
    }

    /**
     * Queues the held frame in Netty's outbound buffer, so that whatever is written next (a close frame, our
     * answer to the client's close) goes after it. Event loop only, like every use of {@link #held}.
     */
    void releaseHeld() {
        WireFrame h = held;
        if (h != null) {
            held = null;
            ChannelHandlerContext first = channel.pipeline().firstContext();
            if (first != null) {
                first.write(h.view(), channel.voidPromise());
            }
        }
    }

    @Override
    public int touch() {
        return held != null && fd.isOpen() ? 1 : 0;
    }

    @Override
    public void flush() {
        WireFrame h = held;
        if (h != null) {
            held = null;
            // The descriptor's own state, not the channel's: Netty marks it closed before closing it, on this
            // loop, so a number the kernel may already have given to a new socket is never written to.
            if (!fd.isOpen()) {
                counters.framesDroppedAfterClose.increment();
                return;
            }
            int n = DirectWrites.write(fd, h.address, h.length);
            if (n == h.length) {
                return;
            }
            // The socket took part of the frame (or none): the rest goes the usual way, and Netty waits for the
            // socket to become writable again.
            ChannelHandlerContext head = channel.pipeline().firstContext();
            if (head == null) {
                return;
            }
            head.write(h.view().skipBytes(n), channel.voidPromise());
        } else if (direct && loop.inEventLoop() && out.totalPendingWriteBytes() == 0) {
            return; // nothing queued: no flush to do
        }
        ChannelHandlerContext first;
        if (!tls && loop.inEventLoop() && (first = channel.pipeline().firstContext()) != null) {
            // Nothing in the pipeline holds writes back, so the flush can start at its head as well.
            first.flush();
        } else {
            channel.flush();
        }
    }

    @Override
    public void send(Frame frame) {
        if (loop.inEventLoop()) {
            sendNow(frame);
        } else {
            loop.execute(() -> sendNow(frame));
        }
    }

    private void sendNow(Frame frame) {
        if (!sendAlone(frame)) {
            write(frame);
            flush();
        }
    }

    /**
     * A frame sent on its own with nothing queued before it goes from the loop's scratch buffer ({@link
     * DirectWrites#sendAlone}); false when that does not apply, and the usual way sends it.
     */
    private boolean sendAlone(Frame frame) {
        if (!direct || closing || held != null || out.totalPendingWriteBytes() != 0 || !fd.isOpen()) {
            return false;
        }
        return DirectWrites.sendAlone(channel, fd, frame);
    }

    @Override
    public void close(CloseCode code, String message) {
        if (!CLOSING.compareAndSet(this, false, true)) {
            return;
        }
        if (loop.inEventLoop()) {
            doClose(code, message);
        } else {
            loop.execute(() -> doClose(code, message));
        }
    }

    /** Closes with a plain WebSocket status (e.g. 1009), without a {@code pusher:error}. */
    void closeWithStatus(int status, String reason) {
        if (!CLOSING.compareAndSet(this, false, true)) {
            return;
        }
        releaseHeld();
        sendCloseFrame(status, reason);
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7) after a protocol violation: the close frame, then TCP closed as soon
     * as it is written, since nothing the client sends afterwards can be read any more.
     */
    void failWithStatus(int status, String reason) {
        if (!CLOSING.compareAndSet(this, false, true) || !channel.isActive()) {
            channel.close();
            return;
        }
        releaseHeld();
        channel.writeAndFlush(ServerFrames.close(channel.alloc(), status, truncate(reason)))
                .addListener(f -> channel.close());
    }

    /** Whether we have started closing (our close frame is out or about to be). */
    boolean closing() {
        return closing;
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    private void doClose(CloseCode code, String message) {
        if (!channel.isActive()) {
            return;
        }
        releaseHeld();
        boolean backlog = hasBacklog(); // before our own pusher:error joins the queue
        String text = message == null || message.isEmpty() ? code.text() : message;
        // Protocol < 6 clients (the Java client declares 5) need the pusher:error before the close (§1.4).
        byte[] error = Frame.of(new ServerMessage.Error(code.code(), text)).bytes();
        channel.write(ServerFrames.text(channel.alloc(), error), channel.voidPromise());
        // 43xx codes would make pusher-js give up for good; they travel in the pusher:error only, and the
        // socket closes as a policy violation (1008: pusher-js reconnects after 1 s).
        sendCloseFrame(code.canClose() ? code.code() : 1008, text, backlog);
    }

    private void sendCloseFrame(int status, String reason) {
        sendCloseFrame(status, reason, hasBacklog());
    }

    private boolean hasBacklog() {
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer(); // null once closed
        return queued != null && queued.totalPendingWriteBytes() > 0;
    }

    private void sendCloseFrame(int status, String reason, boolean backlog) {
        if (!channel.isActive()) {
            return;
        }
        // With frames still queued for this socket (a slow consumer's backlog), the close frame goes out only after
        // them, which can take longer than the answer's timeout: then the timeout starts once the frame has left
        // (a timer started at once cut such clients off before the 4101 reached them: they saw 1006), and a
        // separate bound drops a client that reads nothing at all. With nothing queued, the timeout starts now.
        channel.writeAndFlush(ServerFrames.close(channel.alloc(), status, truncate(reason))).addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
            } else if (backlog) {
                channel.eventLoop().schedule(() -> channel.close(), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
        // The frame handler closes the TCP connection when the client answers with its close frame; this is the
        // bound for clients that never answer (or never read).
        channel.eventLoop().schedule(() -> channel.close(), backlog ? CLOSE_BACKLOG_MILLIS : CLOSE_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    static String truncate(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_REASON_BYTES) {
            return reason;
        }
        // Cut on a character boundary.
        int end = reason.length();
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        return reason.substring(0, end);
    }
}
