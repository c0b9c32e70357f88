package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the engine needs of one client socket; the edge implements it over Netty. The engine touches a
 * connection's state only on {@link #executor()} (the socket's event loop), so none of it needs locks.
 */
public interface Peer {

    /** The single thread that owns this socket. Also used for the connection's timers. */
    ScheduledExecutorService executor();

    /** Queues a frame without flushing. Only on {@link #executor()}; used by fan-out, which flushes once per batch. */
    void write(Frame frame);

    /** Flushes what {@link #write} queued. Only on {@link #executor()}. */
    void flush();

    /**
     * Reads what the next {@link #flush} will need, and does nothing else. A lane calls it for a few peers before
     * flushing them, so that the memory loads of those peers overlap in one tight loop instead of each stalling
     * between two system calls. The result only keeps the reads from being optimised away. Only on
     * {@link #executor()}.
     */
    default int touch() {
        return 0;
    }

    /** Writes and flushes one frame; from any thread. */
    void send(Frame frame);

    /**
     * Sends a {@code pusher:error} with the code and message, then a close frame with the code (43xx codes
     * are never used as close codes), then closes. From any thread; idempotent. The edge later reports the
     * close to {@link Connection#onClose()}.
     */
    void close(CloseCode code, String message);

    /**
     * Stops ({@code true}) or resumes reading the client's frames: the engine's back-pressure when a connection has
     * too many state changes waiting (ChangeGate). Frames already read still arrive. Only on {@link #executor()}.
     */
    void pauseReads(boolean paused);

    /** For logs only. */
    String remoteAddress();
}
