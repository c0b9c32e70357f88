package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.ClusterNode;
import dev.switchboard.server.engine.Sessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty server: one port for WebSocket and HTTP, one boss thread, {@code worker_threads} event loops
 * (0: one per core), pooled direct buffers, write-buffer water marks from the config, and graceful draining.
 * It binds, counts and shuts down; what a socket's pipeline is lives in {@link ClientPipeline} and
 * {@link MetricsPipeline}, and what the handlers read in one {@link EdgeContext} made at {@link #start}.
 */
public final class EdgeServer {
    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
    private final ServerConfig config;
    private final Sessions sessions;
    /** The rows of the route table the wiring gave; the edge adds its own. */
    private final List<HttpRoute> routes;
    /** What the metrics listener serves; null: no listener. */
    private final HttpPort metrics;
    private final Supplier<Boolean> appsDatabaseUp;
    private final ClusterNode node;
    private final EdgeCounters counters = new EdgeCounters();
    private final ConnectionLimits limits;
    private final WebSocketServerHandshakerFactory handshakers;
    private final Transport transport;
    private final Drain drain = new Drain();
    private final ChannelGroup channels = new DefaultChannelGroup("switchboard-sockets", GlobalEventExecutor.INSTANCE);
    /** Apart from {@link #channels}: a scraper's keep-alive connection must not hold up the drain. */
    private final ChannelGroup metricsChannels = new DefaultChannelGroup("switchboard-metrics", GlobalEventExecutor.INSTANCE);

    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Listeners listeners;
    /** The second, TLS-only listener when tls_port is set; null otherwise. */
    private Listeners tlsListeners;
    /** The metrics listener; null when off, or when the default port was taken. */
    private Channel metricsServerChannel;
    /** Null without TLS. */
    private final TlsContexts tls;
    /** Connections not yet upgraded, per node and per address, admitted at accept. */
    private final HttpConnections httpConnections;

    /**
     * @param routes         the route table's rows (the API, the dashboard, metrics); {@code /up} and {@code /health}
     *                       are the edge's own
     * @param metrics        what the metrics listener ({@code metrics_port}) serves; null: no listener
     * @param node           the node whose id, live nodes and degraded reason {@code GET /up} shows; null: none
     * @param appsDatabaseUp for {@code /up}: whether the apps database is reachable; null when apps come from the
     *                       config only
     */
    public EdgeServer(ServerConfig config, Sessions sessions, List<HttpRoute> routes, HttpPort metrics,
                      ClusterNode node, Supplier<Boolean> appsDatabaseUp) {
        this.node = node;
        this.config = config;
        this.sessions = sessions;
        this.routes = List.copyOf(routes);
        this.metrics = metrics;
        this.limits = new ConnectionLimits(config, System::nanoTime);
        this.httpConnections = new HttpConnections(config);
        this.transport = Transport.of(config.transport());
        this.appsDatabaseUp = appsDatabaseUp;
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxFrameBytes())
                .expectMaskedFrames(true)
                .allowExtensions(false)
                // The frame handler sends the close frame itself, also for a malformed close frame (see there).
                .closeOnProtocolViolation(false)
                .build();
        this.handshakers = new WebSocketServerHandshakerFactory("ws://switchboard/", null, decoder);
        this.tls = config.tls() ? new TlsContexts(config, counters) : null;
    }

    /** Binds and returns once listening; an {@link IllegalStateException} saying why when it cannot. */
    public void start() {
        int threads = config.workerThreads() > 0 ? config.workerThreads() : Runtime.getRuntime().availableProcessors();
        boss = transport.newGroup(1);
        workers = transport.newGroup(threads);
        Map<EventExecutor, LoopSweeps> sweeps = new IdentityHashMap<>();
        for (EventExecutor loop : workers) {
            sweeps.put(loop, LoopSweeps.of((EventLoop) loop, config));
        }
        Health health = new Health(drain, node, appsDatabaseUp);
        List<HttpRoute> table = new ArrayList<>(routes);
        table.add(HttpRoute.read("/up", health));
        table.add(HttpRoute.read("/health", health));
        EdgeContext context = new EdgeContext(config, counters, limits, sessions, handshakers, drain, sweeps,
                new HttpRoutes(table));
        boolean tlsOnMain = tls != null && config.tlsPort() < 0;
        try {
            listeners = Listeners.bind(config, transport, boss, workers, config.port(),
                    new ClientPipeline(context, httpConnections, channels, tlsOnMain ? tls : null));
            if (tls != null && !tlsOnMain) {
                tlsListeners = Listeners.bind(config, transport, boss, workers, config.tlsPort(),
                        new ClientPipeline(context, httpConnections, channels, tls));
            }
            if (metrics != null && config.metricsPort() >= 0) {
                metricsServerChannel = bindMetrics(config.metricsPort(),
                        config.metricsPort() == ServerConfig.DEFAULT_METRICS_PORT);
            }
        } catch (IllegalStateException e) {
            closeListeners();
            if (metricsServerChannel != null) {
                metricsServerChannel.close().syncUninterruptibly();
            }
            stopLoops(0);
            throw e;
        }
        boss.next().scheduleAtFixedRate(limits::sweep, 1, 1, TimeUnit.SECONDS);
        if (tls != null) {
            tls.watch(boss.next(), config.tlsWatchSeconds());
        }
    }

    /**
     * The metrics listener on the worker loops (a scrape is rare and small). With {@code optional}, a port that is
     * taken is a warning: the default port is shared by every node on a machine, and the second must still start.
     */
    private Channel bindMetrics(int port, boolean optional) {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new MetricsPipeline(metricsChannels, metrics, counters));
        String host = config.metricsBindHost();
        ChannelFuture bound = b.bind(host, port).awaitUninterruptibly();
        if (bound.isSuccess()) {
            return bound.channel();
        }
        Throwable cause = bound.cause();
        String why = cause == null ? "unknown error" : cause.getMessage();
        if (optional) {
            log.warn("Cannot listen for metrics on {}:{} ({}); running without the metrics listener: set metrics_port "
                    + "(0: a free port, -1: none)", host, port, why);
            return null;
        }
        throw new IllegalStateException("Cannot listen for metrics on " + host + ":" + port + ": " + why, cause);
    }

    public int port() {
        return listeners.port();
    }

    /** The port that speaks TLS: the main port, the second one, or -1 without TLS. */
    public int tlsPort() {
        if (tls == null) {
            return -1;
        }
        return tlsListeners == null ? port() : tlsListeners.port();
    }

    /** How many sockets listen on the client port: one per event loop (listen_per_event_loop), or one. */
    public int clientListeners() {
        return listeners.count();
    }

    /** The metrics listener's port, or -1 when there is none (off, or the default port was taken). */
    public int metricsPort() {
        Channel ch = metricsServerChannel;
        return ch == null ? -1 : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** For the start's log line: transport, TLS and metrics, e.g. {@code transport epoll, no TLS, no metrics}. */
    public String describe() {
        String tlsText = tls == null ? "no TLS"
                : "TLS " + tls.providerLabel() + " on " + (tlsPort() == port() ? "that port" : "port " + tlsPort());
        String metricsText;
        if (!config.metricsEnabled()) {
            metricsText = "no metrics";
        } else {
            String listener = metricsPort() < 0 ? "no metrics listener"
                    : "metrics on " + config.metricsBindHost() + ":" + metricsPort();
            metricsText = config.metricsToken().isEmpty() ? listener : listener + " and with metrics_token on this port";
        }
        return "transport " + transport.label() + ", " + tlsText + ", " + metricsText;
    }

    /** Null without TLS. */
    public TlsContexts tls() {
        return tls;
    }

    public String transport() {
        return transport.label();
    }

    public EdgeCounters counters() {
        return counters;
    }

    /** Upgraded WebSockets counted against {@code max_node_connections}. */
    public int openWebSockets() {
        return limits.openCount();
    }

    /** Connections not yet upgraded to WebSocket, counted against {@code max_http_connections}. */
    public int openHttpConnections() {
        return httpConnections.open();
    }

    /** Whether each open socket has TCP_NODELAY on (every frame is sent at once: tests hold it). */
    public List<Boolean> socketsTcpNoDelay() {
        List<Boolean> all = new ArrayList<>();
        for (Channel ch : channels) {
            all.add(ch.config().getOption(ChannelOption.TCP_NODELAY));
        }
        return all;
    }

    /** Open sockets, WebSocket and HTTP. */
    public int openChannels() {
        return channels.size();
    }

    /**
     * The handler classes (simple names) in each open socket's pipeline: what every idle socket costs in
     * handlers is a memory figure (docs/performance.md, "Idle memory"), and tests hold it.
     */
    public List<List<String>> socketHandlers() {
        List<List<String>> all = new ArrayList<>();
        for (Channel ch : channels) {
            List<String> names = new ArrayList<>();
            ch.pipeline().forEach(e -> names.add(e.getValue().getClass().getSimpleName()));
            all.add(names);
        }
        return all;
    }

    /** While the start-up warm-up runs, {@code /up} answers 503 (not ready); sockets are served as usual. */
    public void warming(boolean on) {
        drain.warming(on);
    }

    /**
     * Step one of shutdown: health answers 503 and new WebSocket upgrades get 503 (a load balancer takes the node
     * out, clients retry elsewhere), idle HTTP connections close and busy ones after their answer. The listeners
     * stay open until {@link #stop}, so that {@code /up} says so until the process exits instead of going silent.
     */
    public void beginDrain() {
        drain.begin();
        for (Channel ch : channels) {
            HttpInFlight.drain(ch);
        }
    }

    /**
     * Waits until every socket open now has closed, at most until the deadline; true when all closed. Sockets
     * accepted later (a health check) are answered once and closed, and are not waited for.
     */
    public boolean awaitDrained(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return channels.newCloseFuture().await(Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    /** Last step: closes what is left and stops the event loops. */
    public void stop() {
        drain.begin();
        closeListeners();
        if (tls != null) {
            tls.stop();
        }
        if (metricsServerChannel != null) {
            metricsServerChannel.close().syncUninterruptibly();
        }
        metricsChannels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        stopLoops(2);
    }

    private void closeListeners() {
        if (listeners != null) {
            listeners.close();
        }
        if (tlsListeners != null) {
            tlsListeners.close();
        }
    }

    private void stopLoops(int timeoutSeconds) {
        if (boss != null) {
            boss.shutdownGracefully(0, timeoutSeconds, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, timeoutSeconds, TimeUnit.SECONDS);
        }
        if (boss != null) {
            boss.terminationFuture().awaitUninterruptibly(timeoutSeconds + 1L, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.terminationFuture().awaitUninterruptibly(timeoutSeconds + 1L, TimeUnit.SECONDS);
        }
    }
}
