package dev.switchboard.server.edge;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Locale;

/**
 * The socket transport: native epoll, io_uring or the JDK's NIO. The native classes are runtime-only
 * dependencies of the server module, so they are reached by name; a missing or unloadable native library means
 * the transport is not available. {@code transport=auto} takes epoll when it loads, NIO otherwise: io_uring
 * measured no better for our write pattern on the machines we have (BENCHMARKS.md, "Transport"), so it is there
 * to be chosen, not the default.
 */
enum Transport {
    EPOLL("io.netty.channel.epoll.", "Epoll", "EpollIoHandler", "EpollServerSocketChannel"),
    IO_URING("io.netty.channel.uring.", "IoUring", "IoUringIoHandler", "IoUringServerSocketChannel"),
    NIO(null, null, null, null);

    private final String pkg;
    private final String probe;
    private final String handler;
    private final String server;

    Transport(String pkg, String probe, String handler, String server) {
        this.pkg = pkg;
        this.probe = probe;
        this.handler = handler;
        this.server = server;
    }

    /** What {@code transport=auto} picks here. */
    static Transport best() {
        return EPOLL.available() ? EPOLL : NIO;
    }

    /**
     * The transport a setting names: {@code auto}, {@code epoll}, {@code io_uring} or {@code nio}. A named native
     * transport that cannot load here is an {@link IllegalStateException} saying why, not a quiet fall-back.
     */
    static Transport of(String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        Transport t = switch (s) {
            case "auto" -> best();
            case "epoll" -> EPOLL;
            case "io_uring" -> IO_URING;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException(
                    "transport must be auto, epoll, io_uring or nio, got '" + setting + "'");
        };
        if (!t.available()) {
            throw new IllegalStateException("transport " + t.label() + " is not available here: " + t.why());
        }
        return t;
    }

    boolean available() {
        if (pkg == null) {
            return true;
        }
        try {
            return Boolean.TRUE.equals(Class.forName(pkg + probe).getMethod("isAvailable").invoke(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    private String why() {
        try {
            Object cause = Class.forName(pkg + probe).getMethod("unavailabilityCause").invoke(null);
            return String.valueOf(cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            return "its classes cannot be loaded (" + e + ")";
        }
    }

    MultiThreadIoEventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory());
    }

    private IoHandlerFactory ioHandlerFactory() {
        if (pkg == null) {
            return NioIoHandler.newFactory();
        }
        try {
            return (IoHandlerFactory) Class.forName(pkg + handler).getMethod("newFactory").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(label() + " reported available but cannot be loaded", e);
        }
    }

    @SuppressWarnings("unchecked")
    Class<? extends ServerChannel> serverChannel() {
        if (pkg == null) {
            return NioServerSocketChannel.class;
        }
        try {
            return (Class<? extends ServerChannel>) Class.forName(pkg + server);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(label() + " reported available but cannot be loaded", e);
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
