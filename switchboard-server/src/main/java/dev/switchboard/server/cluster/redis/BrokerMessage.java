package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What crosses Redis pub/sub: a small binary header (version, kind, origin node id, except socket id, the position
 * of a membership event) and then the frame's bytes exactly as the publishing node encoded them, so a receiving node
 * hands them to its sockets without reading any JSON. The topic is the pub/sub channel itself. The position is in
 * decimal digits after a one-byte length (none: not a membership event) because the scripts that decide
 * membership changes publish them too, and build this header in Lua (lib.lua, {@code announce}).
 */
record BrokerMessage(byte kind, String origin, String exceptSocketId, long position, byte[] frame) {
    /** 2: the position field. A node of version 1 ignores these messages, and the reverse. */
    static final byte VERSION = 2;
    static final byte FRAME = 0;
    static final byte TERMINATE = 1;
    /** The user's connections close with 4200 (issue 25 item 3); like TERMINATE, no frame. */
    static final byte RECONNECT = 2;
    /**
     * A channel event with its place in the channel's window (channel resume): the position field holds that
     * sequence. Published by window_append.lua in the step that gives the sequence, so it is ordered
     * ({@link #isOrdered}): every node, its origin included, delivers it from pub/sub, in sequence order.
     */
    static final byte SEQUENCED = 3;

    BrokerMessage(byte kind, String origin, String exceptSocketId, byte[] frame) {
        this(kind, origin, exceptSocketId, Frame.NOT_MEMBERSHIP, frame);
    }

    byte[] encode() {
        byte[] o = origin.getBytes(StandardCharsets.US_ASCII);
        byte[] e = exceptSocketId == null ? new byte[0] : exceptSocketId.getBytes(StandardCharsets.UTF_8);
        byte[] p = position < 0 ? new byte[0] : Long.toString(position).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(3 + o.length + 2 + e.length + 1 + p.length + frame.length);
        b.put(VERSION).put(kind).put((byte) o.length).put(o).putShort((short) e.length).put(e)
                .put((byte) p.length).put(p).put(frame);
        return b.array();
    }

    /** Null when the message is not one of ours (another version, or garbage on the channel). */
    static BrokerMessage decode(byte[] m) {
        try {
            ByteBuffer b = ByteBuffer.wrap(m);
            if (b.get() != VERSION) {
                return null;
            }
            byte kind = b.get();
            byte[] o = new byte[b.get() & 0xff];
            b.get(o);
            byte[] e = new byte[b.getShort() & 0xffff];
            b.get(e);
            int digits = b.get() & 0xff;
            long position = Frame.NOT_MEMBERSHIP;
            if (digits > 0) {
                position = 0;
                for (int i = 0; i < digits; i++) {
                    int d = b.get() - '0';
                    if (d < 0 || d > 9 || i >= 18) {
                        return null;
                    }
                    position = position * 10 + d;
                }
            }
            byte[] frame = Arrays.copyOfRange(m, b.position(), m.length);
            return new BrokerMessage(kind, new String(o, StandardCharsets.US_ASCII),
                    e.length == 0 ? null : new String(e, StandardCharsets.UTF_8), position, frame);
        } catch (RuntimeException bad) {
            return null;
        }
    }

    /**
     * Whether the message carries a position in an order (a channel's membership, a user's online/offline), without
     * decoding the rest. Only the scripts that decide those changes publish such messages (a node publishes
     * positionless ones, {@code UNORDERED} when decided alone, itself); a node delivers its own from pub/sub, in the
     * order they were decided.
     */
    static boolean isOrdered(byte[] m) {
        if (m.length > 1 && m[1] == SEQUENCED) {
            return true;
        }
        int at = 3 + (m.length > 2 ? m[2] & 0xff : 0);
        if (m.length < at + 3) {
            return false;
        }
        at += 2 + (((m[at] & 0xff) << 8) | (m[at + 1] & 0xff));
        if (m.length <= at) {
            return false;
        }
        int digits = m[at] & 0xff;
        if (digits == 0 || m.length < at + 1 + digits) {
            return false;
        }
        for (int i = 0; i < digits; i++) {
            if (m[at + 1 + i] != '0') {
                return true; // a position above UNORDERED (0)
            }
        }
        return false;
    }

    /** The origin without decoding the rest (own messages are skipped before any copy). */
    static boolean isFrom(byte[] m, byte[] origin) {
        if (m.length < 3 + origin.length || (m[2] & 0xff) != origin.length) {
            return false;
        }
        for (int i = 0; i < origin.length; i++) {
            if (m[3 + i] != origin[i]) {
                return false;
            }
        }
        return true;
    }
}
