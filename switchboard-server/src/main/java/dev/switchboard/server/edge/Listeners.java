package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets of one client port. With {@code listen_per_event_loop} (opt-in) on epoll or io_uring,
 * every event loop has its own listening socket on the port (SO_REUSEPORT): the kernel spreads new connections over
 * them and each loop accepts its own, so no accepted socket is handed from an acceptor thread to a loop (an eventfd
 * write and a wake-up per connection; docs/performance.md, "Accepting on the event loops"). Otherwise one listening
 * socket on the acceptor thread hands each connection to the next loop (the only way on NIO).
 */
final class Listeners {
    /** Netty's name of SO_REUSEPORT for its native transports (epoll, io_uring), looked up without importing them. */
    private static final String REUSE_PORT = "io.netty.channel.unix.UnixChannelOption#SO_REUSEPORT";

    private final List<Channel> channels;

    private Listeners(List<Channel> channels) {
        this.channels = channels;
    }

    /** Binds {@code port} (0: a free one) for {@code pipeline}; an {@link IllegalStateException} saying why not. */
    static Listeners bind(ServerConfig config, Transport transport, EventLoopGroup acceptor, EventLoopGroup loops,
                          int port, ClientPipeline pipeline) {
        ChannelOption<Boolean> reusePort = config.listenPerEventLoop() ? reusePort(transport) : null;
        if (reusePort == null) {
            return new Listeners(List.of(bindOne(config, transport, acceptor, loops, port, pipeline, null)));
        }
        if (port != 0) {
            refuseTaken(config, port);
        }
        List<Channel> bound = new ArrayList<>();
        try {
            int at = port;
            for (EventExecutor loop : loops) {
                EventLoop l = (EventLoop) loop;
                Channel ch = bindOne(config, transport, l, l, at, pipeline, reusePort);
                bound.add(ch);
                at = ((InetSocketAddress) ch.localAddress()).getPort(); // a free port: the others join the first
            }
        } catch (IllegalStateException e) {
            bound.forEach(c -> c.close().syncUninterruptibly());
            throw e;
        }
        return new Listeners(List.copyOf(bound));
    }

    /** The port bound. */
    int port() {
        return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
    }

    /** How many listening sockets (one per event loop, or one). */
    int count() {
        return channels.size();
    }

    void close() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
    }

    /** SO_REUSEPORT where the transport has it (its class loaded registers the option's name), else null. */
    @SuppressWarnings("unchecked")
    private static ChannelOption<Boolean> reusePort(Transport transport) {
        if (transport == Transport.NIO) {
            return null;
        }
        try {
            Class.forName("io.netty.channel.unix.UnixChannelOption");
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return ChannelOption.exists(REUSE_PORT) ? (ChannelOption<Boolean>) (ChannelOption<?>) ChannelOption.valueOf(REUSE_PORT)
                : null;
    }

    /**
     * Sockets that share a port with SO_REUSEPORT would also share it with a second node started by mistake on the
     * same port (the kernel would split the clients between the two): a plain bind first, closed at once, keeps
     * "port in use" an error at start.
     */
    private static void refuseTaken(ServerConfig config, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(config.host(), port));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on " + config.host() + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static Channel bindOne(ServerConfig config, Transport transport, EventLoopGroup parent,
                                   EventLoopGroup children, int port, ClientPipeline pipeline,
                                   ChannelOption<Boolean> reusePort) {
        ServerBootstrap b = new ServerBootstrap()
                .group(parent, children)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // One allocator for all sockets (Netty otherwise makes one per socket); each socket still gets
                // its own adaptive handle.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .childHandler(pipeline);
        if (reusePort != null) {
            b.option(reusePort, true);
        }
        if (!PlatformDependent.canEnableTcpNoDelayByDefault()) {
            // Every transport's socket config turns TCP_NODELAY on by itself where it can (all but Android): setting
            // it again was one more setsockopt(2) per accepted socket, 1 % of a connecting client's CPU
            // (docs/performance.md, "A cold node and the connect path").
            b.childOption(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture bound = b.bind(config.host(), port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IllegalStateException("Cannot listen on " + config.host() + ":" + port + ": "
                    + (cause == null ? "unknown error" : cause.getMessage()), cause);
        }
        return bound.channel();
    }
}
