package dev.switchboard.server.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The little of RFC 6455 a warm-up client needs over a blocking socket ({@link Warmup}): masked text frames out,
 * unmasked text frames in, a close. The server it talks to is this process's own private copy, which sends small
 * text frames only; anything else ends the client (it is counted as not completed).
 */
final class WarmupFrames {
    /** Frames larger than this are not expected from the warm-up's own server. */
    private static final int MAX_FRAME = 64 * 1024;

    private WarmupFrames() {}

    /** Reads the upgrade answer up to its blank line; true when it is a 101. */
    static boolean skipHeaders(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        for (int b; (b = in.read()) >= 0; ) {
            head.append((char) b);
            int n = head.length();
            if (n >= 4 && head.charAt(n - 4) == '\r' && head.charAt(n - 3) == '\n' && head.charAt(n - 2) == '\r'
                    && head.charAt(n - 1) == '\n') {
                return head.indexOf(" 101 ") > 0;
            }
            if (n > 4096) {
                return false;
            }
        }
        return false;
    }

    /** One text frame's payload; an {@link IOException} on anything else. */
    static String read(InputStream in) throws IOException {
        int b0 = next(in);
        int b1 = next(in);
        if ((b0 & 0x0f) != 0x1 || (b1 & 0x80) != 0) {
            throw new IOException("not an unmasked text frame: opcode " + (b0 & 0x0f));
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (next(in) << 8) | next(in);
        } else if (len == 127) {
            throw new IOException("frame too large");
        }
        if (len > MAX_FRAME) {
            throw new IOException("frame too large");
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException();
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Reads frames until one whose event is {@code event}; false when the server answered with an error first. */
    static boolean awaitEvent(InputStream in, String event) throws IOException {
        for (int i = 0; i < 8; i++) {
            String f = read(in);
            if (f.contains("\"event\":\"" + event + "\"")) {
                return true;
            }
            if (f.contains("\"event\":\"pusher:error\"") || f.contains("subscription_error")) {
                return false;
            }
        }
        return false;
    }

    /** A top-level string field of a frame's JSON-encoded data ({@code socket_id}); null when missing. */
    static String field(String frame, String name) {
        String key = "\\\"" + name + "\\\":\\\"";
        int at = frame.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int to = frame.indexOf("\\\"", from);
        return to < 0 ? null : frame.substring(from, to);
    }

    /** {@code text} as a JSON string literal (the warm-up's own texts hold no control characters). */
    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void write(OutputStream out, String text) throws IOException {
        frame(out, 0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with 1000. */
    static void close(OutputStream out) throws IOException {
        frame(out, 0x8, new byte[] {0x03, (byte) 0xe8});
    }

    /** Waits for the server's close frame (or the socket's end). */
    static void awaitClose(InputStream in) throws IOException {
        for (int i = 0; i < 8; i++) {
            int b0 = in.read();
            if (b0 < 0 || (b0 & 0x0f) == 0x8) {
                return;
            }
            int len = next(in) & 0x7f;
            if (len >= 126) {
                return;
            }
            in.skipNBytes(len);
        }
    }

    private static void frame(OutputStream out, int opcode, byte[] payload) throws IOException {
        int len = payload.length;
        byte[] head = len < 126 ? new byte[2 + 4] : new byte[4 + 4];
        head[0] = (byte) (0x80 | opcode);
        int at;
        if (len < 126) {
            head[1] = (byte) (0x80 | len);
            at = 2;
        } else {
            head[1] = (byte) (0x80 | 126);
            head[2] = (byte) (len >>> 8);
            head[3] = (byte) len;
            at = 4;
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(m, 0, head, at, 4);
        byte[] frame = java.util.Arrays.copyOf(head, head.length + len);
        for (int i = 0; i < len; i++) {
            frame[head.length + i] = (byte) (payload[i] ^ m[i & 3]);
        }
        out.write(frame); // one send(2): the server reads it in one go, as it reads a browser's frame
        out.flush();
    }

    private static int next(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }
}
