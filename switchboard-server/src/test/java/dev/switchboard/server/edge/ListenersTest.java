package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.RawSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The client port's listening sockets (listen_per_event_loop, edge/Listeners): on epoll one per event loop sharing
 * the port with SO_REUSEPORT, every one of them serving; one when turned off; and a port another node holds is still
 * refused at start, although SO_REUSEPORT would let a second node share it. Counted from the kernel's socket table.
 */
class ListenersTest {

    /** LISTEN sockets on {@code port} in /proc/net/tcp and tcp6 (state 0A). */
    private static long listening(int port) throws IOException {
        String hex = String.format(Locale.ROOT, ":%04X", port);
        long n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            n += Files.readAllLines(p).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].endsWith(hex) && f[3].equals("0A")).count();
        }
        return n;
    }

    private static ServerConfig config(boolean perLoop) {
        return ServerConfig.defaults().withPort(0).with("host", "127.0.0.1").with("metrics_port", -1)
                .with("worker_threads", 2).with("transport", "epoll").with("listen_per_event_loop", perLoop);
    }

    @Test
    void everyEventLoopListensOnThePortAndEveryConnectionIsServed() throws Exception {
        try (Switchboard node = Switchboard.start(config(true))) {
            assertThat(listening(node.port())).isEqualTo(2);
            // Connections from many source ports land on both sockets (the kernel hashes them): all are served.
            for (int i = 0; i < 20; i++) {
                RawSocket c = RawSocket.connect(node.port(), "/app/app-key?protocol=7&client=js&version=8.6.0");
                dev.switchboard.server.testing.Waits.eventually().until(() -> c.first() != null);
                assertThat(c.first()).contains("pusher:connection_established");
                c.close();
            }
        }
    }

    @Test
    void turnedOffOneSocketListens() throws Exception {
        try (Switchboard node = Switchboard.start(config(false))) {
            assertThat(listening(node.port())).isEqualTo(1);
        }
    }

    @Test
    void aPortAnotherNodeHoldsIsRefusedAtStart() {
        try (Switchboard first = Switchboard.start(config(true))) {
            assertThatThrownBy(() -> Switchboard.start(config(true).withPort(first.port())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("Cannot listen on");
        }
    }
}
