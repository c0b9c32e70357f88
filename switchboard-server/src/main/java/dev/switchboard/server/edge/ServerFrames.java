package dev.switchboard.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * Every frame the server sends, encoded here into the bytes that go on the wire (RFC 6455 §5.2: final, unmasked,
 * so the same bytes for every socket). Netty's WebSocket encoder is taken out of the pipeline after the upgrade
 * ({@link #dropEncoder}): it would only have done this, and it costs each idle socket a handler and its
 * context (80 bytes of 2 KiB, docs/performance.md "Idle memory").
 */
final class ServerFrames {
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private ServerFrames() {}

    /** A text frame around UTF-8 JSON, in a buffer Netty releases once written. */
    static ByteBuf text(ByteBufAllocator alloc, byte[] payload) {
        ByteBuf out = alloc.buffer(headerLength(payload.length) + payload.length);
        writeHeader(out, TEXT, payload.length);
        return out.writeBytes(payload);
    }

    /** A close frame with the status and a reason of at most 123 UTF-8 bytes (the caller truncates). */
    static ByteBuf close(ByteBufAllocator alloc, int status, String reason) {
        int reasonBytes = ByteBufUtil.utf8Bytes(reason);
        ByteBuf out = alloc.buffer(2 + 2 + reasonBytes);
        writeHeader(out, CLOSE, 2 + reasonBytes);
        out.writeShort(status);
        ByteBufUtil.writeUtf8(out, reason);
        return out;
    }

    static ByteBuf close(ByteBufAllocator alloc, WebSocketCloseStatus status) {
        return close(alloc, status.code(), status.reasonText());
    }

    static ByteBuf ping(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(2);
        writeHeader(out, PING, 0);
        return out;
    }

    /** A pong echoing the ping's payload (at most 125 bytes: the decoder refuses longer control frames). */
    static ByteBuf pong(ByteBufAllocator alloc, ByteBuf pingPayload) {
        int n = pingPayload.readableBytes();
        ByteBuf out = alloc.buffer(2 + n);
        writeHeader(out, PONG, n);
        return out.writeBytes(pingPayload, pingPayload.readerIndex(), n);
    }

    /**
     * A text frame in a direct buffer that is never released by Netty and is freed by the GC with its owner: the
     * form a fan-out frame is shared in by every socket that writes it.
     */
    static ByteBuf sharedText(byte[] payload) {
        int n = payload.length;
        ByteBuf out = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(headerLength(n) + n)).clear();
        writeHeader(out, TEXT, n);
        out.writeBytes(payload);
        return Unpooled.unreleasableBuffer(out);
    }

    /**
     * The largest frame {@link #scratchText} encodes: what a socket is sent on its own (connection_established,
     * signin_success, a subscription's answer with its roster) fits; a larger one takes the shared path.
     */
    static final int SCRATCH_BYTES = 16 * 1024;
    /** One per event loop; never released (it lives as long as its thread). */
    private static final FastThreadLocal<ByteBuf> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(SCRATCH_BYTES)));
        }
    };

    /**
     * A text frame in this thread's scratch buffer, to be sent before anything else on the thread encodes into it:
     * a frame for one socket without a buffer of its own (an {@code allocateDirect} and its Cleaner per frame were
     * 2 % of a connecting client's CPU, docs/performance.md). Null when it does not fit, or the buffer has no native
     * address to send from.
     */
    static ByteBuf scratchText(byte[] payload) {
        int n = payload.length;
        if (headerLength(n) + n > SCRATCH_BYTES) {
            return null;
        }
        ByteBuf out = SCRATCH.get();
        if (!out.hasMemoryAddress()) {
            return null;
        }
        out.clear();
        writeHeader(out, TEXT, n);
        return out.writeBytes(payload);
    }

    /** After the upgrade: from then on every frame the server writes is already bytes. */
    static void dropEncoder(ChannelPipeline pipeline) {
        WebSocketFrameEncoder encoder = pipeline.get(WebSocketFrameEncoder.class);
        if (encoder != null) {
            pipeline.remove(encoder);
        }
    }

    private static int headerLength(int payloadLength) {
        return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    private static void writeHeader(ByteBuf out, int opcode, int n) {
        out.writeByte(0x80 | opcode); // FIN
        if (n <= 125) {
            out.writeByte(n);
        } else if (n <= 0xFFFF) {
            out.writeByte(126).writeShort(n);
        } else {
            out.writeByte(127).writeLong(n);
        }
    }
}
