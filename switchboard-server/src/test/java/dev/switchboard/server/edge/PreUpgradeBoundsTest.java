package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.NodeProcess;
import dev.switchboard.server.testing.RawSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, items 1 and 7: slowloris against a node started as an operator would under {@code ulimit -n 1024}
 * (prlimit), with the default settings. One address opens 1,100 TCP connections and sends nothing (before the
 * bounds they took every descriptor and kept every real client out); two others hold 100 connections each with
 * half a request head, and with {@code Content-Length: 200000} and 10 bytes of body (before, none was closed after
 * 30 s). Asserted: the first address keeps at most {@code max_http_connections_per_ip} (the rest are closed at
 * accept), every slow connection is closed by its deadline (408 where a request had begun), and a real client
 * (a WebSocket and {@code GET /up}, from another address) is served throughout. The time each kind took to close
 * is printed with the prefix {@code [slowloris]}.
 */
class PreUpgradeBoundsTest {
    private static final String TOKEN = "slowloris-metrics-token-01";
    private static final Duration ALL_CLOSED_WITHIN = Duration.ofSeconds(40);

    enum Kind { NOTHING, HALF_HEAD, SLOW_BODY }

    private static final class Slow {
        final Kind kind;
        final long openedNanos = System.nanoTime();
        long closedNanos;
        final StringBuilder answer = new StringBuilder();

        Slow(Kind kind) {
            this.kind = kind;
        }
    }

    @Test
    void slowAndIdleConnectionsAreBoundedAndClosedWhileARealClientIsServed() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-slowloris-");
        try (NodeProcess node = NodeProcess.start("slowloris", dir,
                List.of("--host", "127.0.0.1", "--metrics-token", TOKEN), List.of(), 1024);
             Selector selector = Selector.open()) {
            int port = node.port();
            List<Slow> slow = new ArrayList<>();
            int idleOpened = 0;
            for (int i = 0; i < 1100; i++) {
                if (open(selector, slow, "127.0.0.5", port, Kind.NOTHING, null)) {
                    idleOpened++;
                }
            }
            String host = "Host: 127.0.0.1\r\n";
            for (int i = 0; i < 100; i++) {
                open(selector, slow, "127.0.0.3", port, Kind.HALF_HEAD,
                        "GET /apps/app-id/channels HTTP/1.1\r\n" + host + "X-Slow: ");
                open(selector, slow, "127.0.0.4", port, Kind.SLOW_BODY,
                        "POST /apps/app-id/events HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                                + "Content-Length: 200000\r\n\r\n{\"name\":\"");
            }
            HttpClient http = HttpClient.newHttpClient();
            int served = 0;
            long deadline = System.nanoTime() + ALL_CLOSED_WITHIN.toNanos();
            long nextProbe = 0;
            while (slow.stream().anyMatch(s -> s.closedNanos == 0) && System.nanoTime() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    readOrClose(key);
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextProbe) {
                    probe(port, http);
                    served++;
                    nextProbe = System.nanoTime() + 300_000_000L;
                }
            }
            Map<Kind, long[]> closeMillis = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                long[] ms = slow.stream().filter(s -> s.kind == k && s.closedNanos > 0)
                        .mapToLong(s -> (s.closedNanos - s.openedNanos) / 1_000_000).sorted().toArray();
                closeMillis.put(k, ms);
            }
            double refusedIp = metric(http, port, "switchboard_edge_http_connections_refused_total\\{scope=\"ip\"\\}");
            for (Kind k : Kind.values()) {
                long[] ms = closeMillis.get(k);
                System.out.printf("[slowloris] %s: %d closed, time to close min %d ms, median %d ms, max %d ms%n", k,
                        ms.length, ms.length == 0 ? -1 : ms[0], ms.length == 0 ? -1 : ms[ms.length / 2],
                        ms.length == 0 ? -1 : ms[ms.length - 1]);
            }
            System.out.printf("[slowloris] 1,100 idle connections from one address: %.0f closed at accept; "
                    + "real client served %d times meanwhile%n", refusedIp, served);

            assertThat(node.running()).as(node.logTail(2000)).isTrue();
            assertThat(slow).as("every slow connection closed").allMatch(s -> s.closedNanos > 0);
            assertThat(refusedIp).as("closed at accept past max_http_connections_per_ip (256)")
                    .isGreaterThanOrEqualTo(1100 - 256);
            assertThat(slow).filteredOn(s -> s.kind != Kind.NOTHING)
                    .as("a begun request is answered 408").allMatch(s -> s.answer.indexOf("HTTP/1.1 408") == 0);
            assertThat(served).isGreaterThan(5);
            assertThat(node.logTail(200_000)).doesNotContain("Too many open files");
            // After the flood the node holds no connection of it.
            probe(port, http);
            assertThat(idleOpened).isEqualTo(1100);
        }
    }

    /** Opens a connection from {@code source} and writes {@code text}; false when the connect itself failed. */
    private static boolean open(Selector selector, List<Slow> all, String source, int port, Kind kind, String text)
            throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.bind(new InetSocketAddress(source, 0));
        Slow s = new Slow(kind);
        try {
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            if (text != null) {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException e) {
            ch.close();
            return false;
        }
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, s);
        all.add(s);
        return true;
    }

    private static void readOrClose(SelectionKey key) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        Slow s = (Slow) key.attachment();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int n;
        try {
            n = ch.read(buf);
        } catch (IOException reset) {
            n = -1;
        }
        if (n > 0) {
            s.answer.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
        }
        if (n < 0) {
            s.closedNanos = System.nanoTime();
            key.cancel();
            ch.close();
        }
    }

    /** The real client: a WebSocket gets connection_established, and GET /up answers 200. */
    private static void probe(int port, HttpClient http) throws Exception {
        try (RawSocket ws = RawSocket.open(port, "app-key")) {
            ws.awaitEvent("pusher:connection_established");
        }
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).isEqualTo(200);
    }

    private static double metric(HttpClient http, int port, String name) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)").matcher(r.body());
        assertThat(m.find()).as(name + " in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
