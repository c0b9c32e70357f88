package dev.switchboard.server.testing;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ServerConfig;

/**
 * A running Switchboard node. The only test-support class that names the server's wiring class, so the rest
 * depends on nothing but the configuration tree.
 */
public final class ServerUnderTest implements AutoCloseable {
    private final Switchboard server;

    private ServerUnderTest(Switchboard server) {
        this.server = server;
    }

    /** Starts a node with {@code config}; give it port 0 for a free port. */
    public static ServerUnderTest start(ServerConfig config) {
        return new ServerUnderTest(Switchboard.start(config));
    }

    public int port() {
        return server.port();
    }

    /** The metrics listener's port (-1: none); give the config {@code metrics_port} 0 for a free one. */
    public int metricsPort() {
        return server.metricsPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
