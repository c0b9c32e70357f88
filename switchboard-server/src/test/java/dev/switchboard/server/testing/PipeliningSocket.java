package dev.switchboard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client over a plain blocking socket that writes masked text frames as fast as TCP takes them,
 * never waiting for an answer: a flooding client, which the JDK's WebSocket (one send at a time) cannot be. A
 * thread reads and counts what the server sends, so the flood is not mistaken for a slow consumer; a blocked
 * write is the back-pressure the server applies, seen from the client ({@link #lastWriteNanos}).
 */
public final class PipeliningSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicInteger closeCode = new AtomicInteger(-1);
    private final StringBuilder recent = new StringBuilder();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean closed;

    private PipeliningSocket(int port, String appKey) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        out = socket.getOutputStream();
        out.write(("GET /app/" + appKey + RawSocket.PUSHER_JS_QUERY + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread reader = new Thread(this::read, "pipelining-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static PipeliningSocket open(int port, String appKey) {
        try {
            return new PipeliningSocket(port, appKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the frames in one write, so that they reach the server in one read. */
    public void sendAll(java.util.List<String> texts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String t : texts) {
            all.writeBytes(frame(t));
        }
        try {
            out.write(all.toByteArray());
            out.flush();
            framesSent.addAndGet(texts.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one masked text frame; blocks while the server is not reading. False once the socket is gone. */
    public boolean send(String text) {
        byte[] frame = frame(text);
        try {
            out.write(frame);
            framesSent.incrementAndGet();
            lastWriteNanos = System.nanoTime();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] frame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        int header = payload.length < 126 ? 6 : 8;
        byte[] frame = new byte[header + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(mask, 0, frame, header - 4, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** {@link System#nanoTime} after the last write that went through. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** The server's close code, -1 before or without one. */
    public int closeCode() {
        return closeCode.get();
    }

    /** The last few KiB the server sent, as text (frames' payloads with their headers). */
    public synchronized String recent() {
        return recent.toString();
    }

    private void read() {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                bytesReceived.addAndGet(n);
                String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                synchronized (this) {
                    recent.append(text);
                    if (recent.length() > 8192) {
                        recent.delete(0, recent.length() - 8192);
                    }
                }
                int close = text.indexOf((char) 0x88);
                if (close >= 0 && close + 3 < text.length() && text.charAt(close + 1) >= 2) {
                    closeCode.compareAndSet(-1, (text.charAt(close + 2) << 8) | text.charAt(close + 3));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
