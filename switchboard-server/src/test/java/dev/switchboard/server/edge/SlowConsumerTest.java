package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.engine.AppEngine;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client that stops reading is closed with 4101 once its write buffer passes the high mark, not buffered forever. */
class SlowConsumerTest {
    private static final String[] LOW_MARKS = {"--write-buffer-high-water-mark=65536", "--write-buffer-low-water-mark=32768"};
    private static final String DATA = "x".repeat(8 * 1024);

    /** Publishes to {@code firehose} until the node has closed one slow consumer. */
    private static void publishUntilClosedAsSlow(Switchboard server, AppEngine app) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(() -> {
            app.trigger("firehose", "tick", DATA, null);
            return server.edgeCounters().slowConsumerClosed.sum() == 1;
        });
    }

    @Test
    void clientThatDoesNotReadIsClosedWith4101() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(LOW_MARKS)) {
            RawWebSocket slow = edge.subscribe("firehose", 4096);
            Switchboard server = edge.server();
            AppEngine app = edge.app();
            // The client reads nothing from here on; the kernel buffers fill, then Netty's.
            publishUntilClosedAsSlow(server, app);
            // Further frames for it are dropped, never queued, and it is closed only once.
            for (int i = 0; i < 10; i++) {
                app.trigger("firehose", "tick", DATA, null);
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
        try (EdgeFixture edge = EdgeFixture.start(LOW_MARKS)) {
            RawWebSocket slow = edge.subscribe("firehose", 4096);
            publishUntilClosedAsSlow(edge.server(), edge.app());
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
