package dev.switchboard.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level search in a received frame. A delivered bench event carries
 * {@code {"bt":<epoch µs>,"seq":<n>,"st":<step>}} in its (double-encoded) data, so on the wire the keys
 * appear as {@code bt\":} — or {@code bt":} if a server re-encodes data as an object. Scanning the
 * bytes keeps the per-delivery cost at a few hundred nanoseconds and allocation-free.
 */
final class FrameScan {
    static final byte[] BT = ascii("\"bt");
    static final byte[] SEQ = ascii("\"seq");
    static final byte[] ST = ascii("\"st");
    static final byte[] MEMBER_ADDED = ascii("pusher_internal:member_added");
    static final byte[] MEMBER_REMOVED = ascii("pusher_internal:member_removed");

    private FrameScan() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Index of the first byte of {@code needle} in the readable bytes of {@code buf}, or -1. */
    static int indexOf(ByteBuf buf, byte[] needle, int from) {
        int end = buf.writerIndex() - needle.length;
        byte first = needle[0];
        outer:
        for (int i = Math.max(from, buf.readerIndex()); i <= end; i++) {
            if (buf.getByte(i) != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean contains(ByteBuf buf, byte[] needle) {
        return indexOf(buf, needle, buf.readerIndex()) >= 0;
    }

    /**
     * The non-negative integer value of the key found at {@code keyAt} ({@code "key} then an optional
     * backslash, a quote, optional spaces, a colon, optional spaces, digits); -1 when malformed.
     */
    static long numberAfterKey(ByteBuf buf, int keyAt, int keyLength) {
        int i = keyAt + keyLength;
        int end = buf.writerIndex();
        if (i < end && buf.getByte(i) == '\\') {
            i++;
        }
        if (i >= end || buf.getByte(i) != '"') {
            return -1;
        }
        i++;
        while (i < end && buf.getByte(i) == ' ') {
            i++;
        }
        if (i >= end || buf.getByte(i) != ':') {
            return -1;
        }
        i++;
        while (i < end && buf.getByte(i) == ' ') {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < end) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
            i++;
        }
        return digits == 0 ? -1 : value;
    }

    /** Finds {@code key} at or after {@code from} and reads its number; -1 when absent or malformed. */
    static long number(ByteBuf buf, byte[] key, int from) {
        int at = indexOf(buf, key, from);
        return at < 0 ? -1 : numberAfterKey(buf, at, key.length);
    }
}
