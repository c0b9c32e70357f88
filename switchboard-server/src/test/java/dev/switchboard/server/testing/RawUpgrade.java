package dev.switchboard.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket opened byte by byte, for request targets no URL class will send as they are: raw UTF-8 in the path,
 * as pusher-js in Node sends a non-ASCII key, or bytes that are no UTF-8 at all. Reads the server's frames
 * (unmasked, as a server sends them) until the first text frame or the close.
 */
public final class RawUpgrade implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final String status;

    private RawUpgrade(Socket socket, byte[] target) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes("GET ".getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(target);
        req.writeBytes((" HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(req.toByteArray());
        socket.getOutputStream().flush();
        this.in = new DataInputStream(socket.getInputStream());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        this.status = head.substring(0, head.indexOf("\r\n"));
    }

    /** {@code GET <target>} to the node on {@code port}, from the local address {@code from} (a 127/8 address). */
    public static RawUpgrade open(int port, byte[] target, InetAddress from) {
        try {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            return new RawUpgrade(s, target);
        } catch (IOException e) {
            throw new AssertionError("Could not open a WebSocket", e);
        }
    }

    /** The status line of the server's answer to the upgrade. */
    public String status() {
        return status;
    }

    /** The next message: a text frame's payload, or {@code close <code> <reason>}. */
    public String next() {
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            int opcode = b0 & 0x0F;
            if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
                String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                return "close " + code + " " + reason;
            }
            return new String(payload, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("No frame from the server", e);
        }
    }

    /** Messages until the close frame; that frame's {@code close <code> <reason>}. */
    public String awaitClose() {
        while (true) {
            String m = next();
            if (m.startsWith("close ")) {
                return m;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
