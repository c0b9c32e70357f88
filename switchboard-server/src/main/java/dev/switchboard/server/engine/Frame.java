package dev.switchboard.server.engine;

import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Function;

/**
 * One encoded server frame, shared by every recipient: a published event is encoded once into a Frame and
 * the same object goes to all subscribers. The transport may attach its own representation of the bytes
 * (a direct buffer) once, through {@link #transport}, so that it too is built once per event, not per socket.
 */
public final class Frame {
    private static final AtomicReferenceFieldUpdater<Frame, Object> TRANSPORT =
            AtomicReferenceFieldUpdater.newUpdater(Frame.class, Object.class, "transport");

    private final byte[] bytes;
    private volatile Object transport;

    private Frame(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Frame of(ServerMessage message) {
        return new Frame(WireCodec.encode(message));
    }

    public static Frame ofBytes(byte[] utf8Json) {
        return new Frame(utf8Json);
    }

    /** The UTF-8 JSON text of the frame. Never modify the array. */
    public byte[] bytes() {
        return bytes;
    }

    public int size() {
        return bytes.length;
    }

    /** The transport's shared form of these bytes, made by {@code make} on first use and kept. */
    @SuppressWarnings("unchecked")
    public <T> T transport(Function<byte[], T> make) {
        Object t = transport;
        if (t == null) {
            T made = make.apply(bytes);
            if (TRANSPORT.compareAndSet(this, null, made)) {
                return made;
            }
            t = transport;
        }
        return (T) t;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
