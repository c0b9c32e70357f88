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

    /** {@link #position()} of a frame that is not a presence membership event. */
    public static final long NOT_MEMBERSHIP = -1;
    /** {@link #position()} of a membership event decided outside the channel's order (a node cut off from the rest). */
    public static final long UNORDERED = 0;

    private final byte[] bytes;
    /** The membership event's place in its channel's membership order, or one of the two values above. */
    private final long position;
    /**
     * The event's place in its channel's window (channel resume, {@link ChannelWindows}); 0 when the channel keeps
     * none. Never on the wire: the bytes are the same live event either way.
     */
    private final long sequence;
    private volatile Object transport;

    private Frame(byte[] bytes, long position) {
        this(bytes, position, 0);
    }

    private Frame(byte[] bytes, long position, long sequence) {
        this.bytes = bytes;
        this.position = position;
        this.sequence = sequence;
    }

    /** The same bytes at {@code sequence} in their channel's window. */
    public Frame withSequence(long sequence) {
        return new Frame(bytes, position, sequence);
    }

    /** See {@link #withSequence}; 0 for a frame of a channel without a window. */
    public long sequence() {
        return sequence;
    }

    public static Frame of(ServerMessage message) {
        return new Frame(WireCodec.encode(message), NOT_MEMBERSHIP);
    }

    /**
     * A member_added or member_removed at {@code position} in its channel's membership order ({@link #UNORDERED}
     * when decided outside it): delivered only to subscribers whose roster came before that position (docs/cluster.md,
     * "Presence: one membership order per channel"). Also a watchlist online/offline at its place in the user's own
     * order, which a watcher holding a newer one drops.
     */
    public static Frame membership(ServerMessage message, long position) {
        return new Frame(WireCodec.encode(message), Math.max(UNORDERED, position));
    }

    public static Frame ofBytes(byte[] utf8Json) {
        return new Frame(utf8Json, NOT_MEMBERSHIP);
    }

    /** Bytes from another node, with the position its header carried ({@link #NOT_MEMBERSHIP} for most frames). */
    public static Frame ofBytes(byte[] utf8Json, long position) {
        return new Frame(utf8Json, position);
    }

    public boolean isMembership() {
        return position != NOT_MEMBERSHIP;
    }

    /** See {@link #membership}; {@link #NOT_MEMBERSHIP} for every other frame. */
    public long position() {
        return position;
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
