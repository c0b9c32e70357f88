package dev.switchboard.server.apps;

import dev.switchboard.protocol.Signatures;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/1.1 over a plain socket, for request targets exactly as written (an id percent-encoded one way or another)
 * and from a chosen local address (127.0.0.2 is another client than 127.0.0.1), with keep-alive pipelining.
 */
final class RawHttp {
    private RawHttp() {}

    /** A signed {@code GET <rawPath>} of the HTTP API (signed over the path as sent); the status. */
    static int signedGet(int port, String rawPath, String key, String secret) {
        String query = "auth_key=" + key + "&auth_timestamp=" + System.currentTimeMillis() / 1000 + "&auth_version=1.0";
        String signature = Signatures.hmacSha256Hex(secret, "GET\n" + rawPath + "\n" + query);
        return pipeline(port, InetAddress.getLoopbackAddress(), List.of(rawPath + "?" + query + "&auth_signature=" + signature))
                .get(0);
    }

    /** Sends every {@code GET <target>} on one connection at once, then reads the statuses in order. */
    static List<Integer> pipeline(int port, InetAddress from, List<String> targets) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(60_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
                    for (String t : targets) {
                        chunk.writeBytes(("GET " + t + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8));
                        if (chunk.size() > 64 * 1024) {
                            out.write(chunk.toByteArray());
                            chunk.reset();
                        }
                    }
                    out.write(chunk.toByteArray());
                    out.flush();
                } catch (IOException e) {
                    // the reader reports what is missing
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = new BufferedInputStream(s.getInputStream());
            List<Integer> statuses = new ArrayList<>(targets.size());
            for (int i = 0; i < targets.size(); i++) {
                statuses.add(readResponse(in));
            }
            return statuses;
        } catch (IOException e) {
            throw new AssertionError("HTTP exchange failed", e);
        }
    }

    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed after " + b);
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
