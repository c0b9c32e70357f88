package dev.switchboard.server.edge;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand over a plain socket, so that it does only what the test says: it never
 * answers pings on its own (the JDK client does), and it can send any frame.
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket connect(int port, String pathAndQuery) throws IOException {
        return connect(port, pathAndQuery, 0);
    }

    /** With a small receive buffer (bytes; 0 for the default), to make a client that reads slowly. */
    static RawWebSocket connect(int port, String pathAndQuery, int receiveBuffer) throws IOException {
        return connect(port, pathAndQuery, receiveBuffer, "");
    }

    /** With extra request header lines, each ending in CRLF (an {@code Origin}, say). */
    static RawWebSocket connect(int port, String pathAndQuery, int receiveBuffer, String extraHeaders)
            throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setTcpNoDelay(true);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(15_000);
        RawWebSocket ws = new RawWebSocket(s);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        ws.out.write(req.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String head = ws.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("Upgrade refused: " + head);
        }
        return ws;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF in handshake");
            }
            b.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** The next frame from the server; null at end of stream. */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until one with this opcode (others are skipped); null at end of stream. */
    Frame readUntil(int opcode) throws IOException {
        Frame f;
        do {
            f = read();
        } while (f != null && f.opcode() != opcode);
        return f;
    }

    void send(int opcode, byte[] payload) throws IOException {
        send(opcode, payload, true);
    }

    /** One masked frame, as a client must send it. */
    void send(int opcode, byte[] payload, boolean fin) throws IOException {
        sendRaw((fin ? 0x80 : 0) | opcode, true, payload);
    }

    /** Any frame: {@code firstByte} carries FIN, RSV and the opcode; {@code masked} false breaks RFC 6455 §5.1. */
    void sendRaw(int firstByte, boolean masked, byte[] payload) throws IOException {
        out.write(frame(firstByte, masked, payload));
        out.flush();
    }

    /** Several frames in one write, so the server reads them together. */
    void sendTogether(byte[]... frames) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            b.write(f);
        }
        out.write(b.toByteArray());
        out.flush();
    }

    /** The bytes of one frame: {@code firstByte} carries FIN, RSV and the opcode. */
    static byte[] frame(int firstByte, boolean masked, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            b.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            b.write(maskBit | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length & 0xff);
        } else {
            b.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            b.write(mask, 0, mask.length);
            for (int i = 0; i < payload.length; i++) {
                b.write(payload[i] ^ mask[i & 3]);
            }
        } else {
            b.write(payload, 0, payload.length);
        }
        return b.toByteArray();
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
