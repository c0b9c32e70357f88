package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.RawSocket;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: every WebSocket is closed with 4200 (clients reconnect at once), then the port is gone. */
class ShutdownTest {

    @Test
    void closeSends4200ToEveryClientAndStopsListening() throws Exception {
        Switchboard server = Switchboard.start(ServerConfig.defaults().withPort(0));
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

    @Test
    void portInUseIsAClearError() {
        Switchboard first = Switchboard.start(ServerConfig.defaults().withPort(0));
        try {
            assertThatThrownBy(() -> Switchboard.start(ServerConfig.defaults().withPort(first.port())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot listen on");
        } finally {
            first.close();
        }
    }
}
