package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.engine.AppEngine;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client that stops reading is closed with 4101 once its write buffer passes the high mark, not buffered forever. */
class SlowConsumerTest {

    @Test
    void clientThatDoesNotReadIsClosedWith4101() throws Exception {
        try (Switchboard server = Switchboard.start(ConfigLoader.load(new String[] {"--host=127.0.0.1", "--port=0", "--metrics-port=0",
                "--write-buffer-high-water-mark=65536", "--write-buffer-low-water-mark=32768"}, Map.of()));
             RawWebSocket slow = RawWebSocket.connect(server.port(), "/app/app-key?protocol=7", 4096)) {
            assertThat(slow.read().text()).contains("pusher:connection_established");
            slow.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"firehose\"}}");
            assertThat(slow.readUntil(RawWebSocket.TEXT).text()).contains("subscription_succeeded");

            AppEngine app = server.engine().appById("app-id");
            String data = "x".repeat(8 * 1024);
            // The client reads nothing from here on; the kernel buffers fill, then Netty's.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(() -> {
                app.trigger("firehose", "tick", data, null);
                return server.edgeCounters().slowConsumerClosed.sum() == 1;
            });
            // Further frames for it are dropped, never queued, and it is closed only once.
            for (int i = 0; i < 10; i++) {
                app.trigger("firehose", "tick", data, null);
            }
            assertThat(server.edgeCounters().slowConsumerClosed.sum()).isEqualTo(1);
            // The connection ends: with the 4101 close frame when it still gets through, else by the hard close.
            RawWebSocket.Frame f;
            String lastError = null;
            int closeCode = -1;
            try {
                while ((f = slow.read()) != null) {
                    if (f.opcode() == RawWebSocket.TEXT && f.text().contains("pusher:error")) {
                        lastError = f.text();
                    } else if (f.opcode() == RawWebSocket.CLOSE) {
                        closeCode = f.closeCode();
                        break;
                    }
                }
            } catch (java.io.IOException reset) {
                // The hard close may reset the connection; that is an end too.
            }
            if (closeCode != -1) {
                assertThat(closeCode).isEqualTo(4101);
                assertThat(WireCodec.parse(lastError).get("data").get("code").asInt()).isEqualTo(4101);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.engine().connectionCount() == 0);
        }
    }

    @Test
    void aSlowClientThatPausesLongerThanTheCloseTimeoutStillGetsItsBacklogAnd4101() throws Exception {
        try (Switchboard server = Switchboard.start(ConfigLoader.load(new String[] {"--host=127.0.0.1", "--port=0", "--metrics-port=0",
                "--write-buffer-high-water-mark=65536", "--write-buffer-low-water-mark=32768"}, Map.of()));
             RawWebSocket slow = RawWebSocket.connect(server.port(), "/app/app-key?protocol=7", 4096)) {
            assertThat(slow.read().text()).contains("pusher:connection_established");
            slow.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"firehose\"}}");
            assertThat(slow.readUntil(RawWebSocket.TEXT).text()).contains("subscription_succeeded");
            AppEngine app = server.engine().appById("app-id");
            String data = "x".repeat(8 * 1024);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(() -> {
                app.trigger("firehose", "tick", data, null);
                return server.edgeCounters().slowConsumerClosed.sum() == 1;
            });
            // The scenario itself, not a wait for a condition: the client goes on not reading for longer than the
            // close timeout, as a slow mobile client does, and only then drains its socket.
            Thread.sleep(NettyPeer.CLOSE_TIMEOUT_MILLIS + 500L);
            RawWebSocket.Frame f;
            int closeCode = -1;
            while ((f = slow.read()) != null) {
                if (f.opcode() == RawWebSocket.CLOSE) {
                    closeCode = f.closeCode();
                    break;
                }
            }
            assertThat(closeCode).as("the 4101 close frame reached the client").isEqualTo(4101);
        }
    }
}
