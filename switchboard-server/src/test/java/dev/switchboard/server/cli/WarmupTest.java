package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up (startup_warmup_clients, docs/performance.md "A cold node"): every client it runs completes
 * the whole connect path through the node's private copy (upgrade, signed sign-in, signed presence join, close), so a
 * broken step (a signature, a frame, the copy's settings) shows as clients not completed; and the copy is gone after.
 */
class WarmupTest {

    @Test
    void everyWarmupClientCompletesTheConnectPathAndTheCopyIsGoneAfter() throws IOException {
        ServerConfig config = ServerConfig.defaults().withPort(0).with("metrics_port", -1)
                .with("startup_warmup_clients", 200);

        assertThat(Warmup.run(config)).isEqualTo(200);
    }

    @Test
    void aWarmingNodeAnswersUp503UntilWarmedAndServesSocketsMeanwhile() throws Exception {
        try (dev.switchboard.server.Switchboard node = dev.switchboard.server.Switchboard.builder(
                ServerConfig.defaults().withPort(0).with("metrics_port", -1)).warming(true).start()) {
            var http = java.net.http.HttpClient.newHttpClient();
            var up = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port() + "/up"))
                    .build();
            var before = http.send(up, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(before.body()).contains("Warming up");
            // A client that comes all the same is served: the WebSocket upgrade answers 101.
            try (Socket s = new Socket("127.0.0.1", node.port())) {
                s.getOutputStream().write(("GET /app/app-id-key HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").replace("app-id-key", "app-key")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(WarmupFrames.skipHeaders(s.getInputStream())).isTrue();
            }
            node.warmed();
            assertThat(http.send(up, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void noClientsNoCopy() {
        assertThat(Warmup.run(ServerConfig.defaults().withPort(0))).isZero();
    }

    @Test
    void theCopyTakesTheNodesSettingsButNotItsPortsOrRedis() throws IOException {
        // The node's own port is taken by something else and its Redis does not exist: the copy must use neither.
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            ServerConfig config = ServerConfig.defaults().withPort(taken.getLocalPort()).with("metrics_port", -1)
                    .withRedis("redis://127.0.0.1:1").with("startup_warmup_clients", 20);
            assertThat(Warmup.run(config)).isEqualTo(20);
            try (Socket s = new Socket("127.0.0.1", taken.getLocalPort())) {
                assertThat(s.isConnected()).isTrue();
            }
        }
    }
}
