package dev.switchboard.server.cluster.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What crosses Redis pub/sub: a small binary header (version, kind, origin node id, except socket id) and then the
 * frame's bytes exactly as the publishing node encoded them, so a receiving node hands them to its sockets without
 * reading any JSON. The topic is the pub/sub channel itself.
 */
record BrokerMessage(byte kind, String origin, String exceptSocketId, byte[] frame) {
    static final byte VERSION = 1;
    static final byte FRAME = 0;
    static final byte TERMINATE = 1;

    byte[] encode() {
        byte[] o = origin.getBytes(StandardCharsets.US_ASCII);
        byte[] e = exceptSocketId == null ? new byte[0] : exceptSocketId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(3 + o.length + 2 + e.length + frame.length);
        b.put(VERSION).put(kind).put((byte) o.length).put(o).putShort((short) e.length).put(e).put(frame);
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
            byte[] frame = Arrays.copyOfRange(m, b.position(), m.length);
            return new BrokerMessage(kind, new String(o, StandardCharsets.US_ASCII),
                    e.length == 0 ? null : new String(e, StandardCharsets.UTF_8), frame);
        } catch (RuntimeException bad) {
            return null;
        }
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
