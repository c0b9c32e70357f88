package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.engine.AppEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One node for an edge test, on the loopback address and a free port, with the default app ({@code app-id} /
 * {@code app-key}), and raw subscribers to it. Unlike {@code testing.ServerUnderTest} it hands out the
 * {@link Switchboard} itself: edge tests look at its engine, edge counters and transport. Closing it closes the
 * subscribers, then the node.
 */
final class EdgeFixture implements AutoCloseable {
    private static final String APP_ID = "app-id";
    private static final String APP_PATH = "/app/app-key?protocol=7";
    private static final String[] LOOPBACK_FREE_PORT = {"--host=127.0.0.1", "--port=0"};

    private final Switchboard server;
    private final List<RawWebSocket> sockets = new ArrayList<>();

    private EdgeFixture(Switchboard server) {
        this.server = server;
    }

    /** A node with its metrics listener on a free port too, configured by these command-line flags. */
    static EdgeFixture start(String... flags) {
        return startWithMetricsPortAsGiven(join(new String[] {"--metrics-port=0"}, flags));
    }

    /** A node whose metrics port is what the flags say, or the default when they say nothing. */
    static EdgeFixture startWithMetricsPortAsGiven(String... flags) {
        return new EdgeFixture(Switchboard.start(ConfigLoader.load(join(LOOPBACK_FREE_PORT, flags), Map.of())));
    }

    private static String[] join(String[] first, String... then) {
        return Stream.concat(Stream.of(first), Stream.of(then)).toArray(String[]::new);
    }

    Switchboard server() {
        return server;
    }

    int port() {
        return server.port();
    }

    /** The metrics listener's port; -1 when there is none. */
    int metricsPort() {
        return server.metricsPort();
    }

    AppEngine app() {
        return server.engine().appById(APP_ID);
    }

    /** A raw WebSocket, connected and subscribed to {@code channel}, that has read nothing since. */
    RawWebSocket subscribe(String channel) throws IOException {
        return subscribe(channel, 0);
    }

    /** The same with a small receive buffer (bytes; 0 for the default), to make a client that reads slowly. */
    RawWebSocket subscribe(String channel, int receiveBuffer) throws IOException {
        RawWebSocket ws = RawWebSocket.connect(server.port(), APP_PATH, receiveBuffer);
        sockets.add(ws);
        assertThat(ws.read().text()).contains("pusher:connection_established");
        ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
        assertThat(ws.readUntil(RawWebSocket.TEXT).text()).contains("subscription_succeeded");
        return ws;
    }

    @Override
    public void close() throws IOException {
        try {
            for (RawWebSocket ws : sockets) {
                ws.close();
            }
        } finally {
            server.close();
        }
    }
}
