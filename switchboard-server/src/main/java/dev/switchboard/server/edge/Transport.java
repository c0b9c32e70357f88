package dev.switchboard.server.edge;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Locale;

/**
 * Native epoll when the platform has it (Linux with the native library), NIO otherwise. The epoll classes are a
 * runtime-only dependency of the server module, so they are reached by name; a missing or unloadable native
 * library simply means NIO.
 */
enum Transport {
    EPOLL, NIO;

    private static final String EPOLL_PACKAGE = "io.netty.channel.epoll.";

    static Transport best() {
        try {
            Object available = Class.forName(EPOLL_PACKAGE + "Epoll").getMethod("isAvailable").invoke(null);
            return Boolean.TRUE.equals(available) ? EPOLL : NIO;
        } catch (ReflectiveOperationException | LinkageError e) {
            return NIO;
        }
    }

    MultiThreadIoEventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory());
    }

    private IoHandlerFactory ioHandlerFactory() {
        if (this == NIO) {
            return NioIoHandler.newFactory();
        }
        try {
            return (IoHandlerFactory) Class.forName(EPOLL_PACKAGE + "EpollIoHandler").getMethod("newFactory").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("epoll reported available but cannot be loaded", e);
        }
    }

    @SuppressWarnings("unchecked")
    Class<? extends ServerChannel> serverChannel() {
        if (this == NIO) {
            return NioServerSocketChannel.class;
        }
        try {
            return (Class<? extends ServerChannel>) Class.forName(EPOLL_PACKAGE + "EpollServerSocketChannel");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("epoll reported available but cannot be loaded", e);
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
