package dev.switchboard.server.testing;

import dev.switchboard.server.config.ServerConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A running Switchboard node. The only test class that names the server's wiring class, so the rest of the
 * support code depends on nothing but the configuration tree.
 */
public final class ServerUnderTest implements AutoCloseable {
    private static final String WIRING_CLASS = "dev.switchboard.server.Switchboard";

    private final Object server;
    private final int port;

    private ServerUnderTest(Object server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a node with {@code config} (give it port 0 for a free port). Reflection keeps this module's tests
     * compiling while the wiring class is still on its way to main; it calls exactly
     * {@code Switchboard.start(ServerConfig)}, {@code port()} and {@code close()}.
     */
    public static ServerUnderTest start(ServerConfig config) {
        try {
            Class<?> wiring = Class.forName(WIRING_CLASS);
            Object server = wiring.getMethod("start", ServerConfig.class).invoke(null, config);
            int port = (Integer) wiring.getMethod("port").invoke(server);
            return new ServerUnderTest(server, port);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(WIRING_CLASS + " is not on the classpath yet", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Switchboard.start failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Switchboard does not have the expected start/port/close contract", e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            Method close = server.getClass().getMethod("close");
            close.invoke(server);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Switchboard.close failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
