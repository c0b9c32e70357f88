package dev.switchboard.server.edge;

import dev.switchboard.server.engine.Frame;
import io.netty.buffer.ByteBuf;

/**
 * A frame's bytes as every socket writes them: one unreleasable direct buffer with the whole WebSocket frame
 * ({@link ServerFrames#sharedText}; server frames are unmasked, so the bytes are the same for every socket), made
 * once per frame, not per socket, kept on the {@link Frame} and freed by the GC with it; and its native address
 * for the direct write ({@link DirectWrites}). Never modified: Netty's path writes a {@link #view()} with its own
 * indices.
 */
final class WireFrame {
    final ByteBuf buffer;
    /** Native address of the first byte, or 0 where the buffer has none. */
    final long address;
    final int length;

    private WireFrame(ByteBuf buffer) {
        this.buffer = buffer;
        this.address = buffer.hasMemoryAddress() ? buffer.memoryAddress() + buffer.readerIndex() : 0;
        this.length = buffer.readableBytes();
    }

    /** The frame's shared bytes, made by the first socket that writes it. */
    static WireFrame of(Frame frame) {
        return frame.transport(WireFrame::encode);
    }

    private static WireFrame encode(byte[] payload) {
        return new WireFrame(ServerFrames.sharedText(payload));
    }

    /** A view with its own indices, for Netty's outbound buffer (which moves them as the socket takes bytes). */
    ByteBuf view() {
        return buffer.duplicate();
    }
}
