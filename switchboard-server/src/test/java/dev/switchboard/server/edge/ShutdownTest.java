package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.protocol.Signatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown: every WebSocket is closed with 4200 (clients reconnect at once), then the port is gone. The
 * spreading of the closes over shutdown_drain_seconds on SIGTERM is {@link DrainTest}'s.
 */
class ShutdownTest {

    @Test
    void closeSends4200ToEveryClientAndStopsListening() throws Exception {
        Switchboard server = Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0));
        int port = server.port();
        List<RawSocket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawSocket c = RawSocket.connect(port, "/app/app-key?protocol=7&client=js&version=8.6.0");
            clients.add(c);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> clients.stream().allMatch(c -> c.first() != null));

        long started = System.nanoTime();
        server.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                .isLessThan(server.config().shutdownGraceSeconds());
        for (RawSocket c : clients) {
            assertThat(c.awaitCloseCode(Duration.ofSeconds(5))).isEqualTo(4200);
            assertThat(c.last()).contains("\"code\":4200");
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        server.close(); // idempotent
    }

    /** A request whose body has not arrived when shutdown starts is answered in full, then its connection closes. */
    @Test
    void anInFlightHttpRequestFinishesDuringShutdown() throws Exception {
        Switchboard server = Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0));
        int port = server.port();
        byte[] body = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}".getBytes(StandardCharsets.UTF_8);
        String query = "auth_key=app-key&auth_timestamp=" + System.currentTimeMillis() / 1000
                + "&auth_version=1.0&body_md5=" + Signatures.md5Hex(body);
        String signature = Signatures.hmacSha256Hex("app-secret", "POST\n/apps/app-id/events\n" + query);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            // Expect: 100-continue makes the server say when it has read the headers, i.e. when the request
            // is in flight on its side (not merely waiting in the accept backlog).
            out.write(("POST /apps/app-id/events?" + query + "&auth_signature=" + signature + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 100");

            Thread closer = new Thread(server::close, "test-shutdown");
            closer.start();
            // Draining has begun once /up says 503 (the listener stays open until the end to say it).
            await().atMost(Duration.ofSeconds(5)).until(() -> upStatus(port) == 503);
            out.write(body);
            out.flush();

            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("{}");
            closer.join(TimeUnit.SECONDS.toMillis(server.config().shutdownGraceSeconds() + 5));
            assertThat(closer.isAlive()).isFalse();
        }
    }

    private static int upStatus(int port) throws IOException {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            probe.getOutputStream().write("GET /up HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(probe.getInputStream());
            return head.length() < 12 ? -1 : Integer.parseInt(head.substring(9, 12));
        }
    }

    /** Reads one response head (up to the blank line). */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void portInUseIsAClearError() {
        Switchboard first = Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0));
        try {
            assertThatThrownBy(() -> Switchboard.start(ServerConfig.defaults().withPort(first.port()).with("metrics_port", 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot listen on");
        } finally {
            first.close();
        }
    }
}
