package dev.switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.EventExecutor;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import javax.net.ssl.SSLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * WebSocket clients in this process, spread over the event loops of one group. Connections open with a
 * bounded number of handshakes in flight so a server is measured, not SYN-flooded; each event loop keeps
 * its own {@link LoopStats}, merged at the end of a step.
 */
final class ClientFleet implements Fleet, PusherClient.Listener {
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final String host;
    private final int[] ports;
    private final String key;
    private final String secret;
    private final int count;
    /** The global index of this fleet's first client (a child process's share): the port is chosen by it. */
    private int firstIndex;
    private final int rampInFlight;
    private final IntFunction<ClientSpec> specs;
    private final Map<EventExecutor, LoopStats> loops = new IdentityHashMap<>();
    private final List<EventExecutor> executors = new ArrayList<>();
    private final Set<PusherClient> readyClients = ConcurrentHashMap.newKeySet();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Semaphore inFlight;
    private final Semaphore finished = new Semaphore(0);
    /** A permit per ready client whose socket ended; see {@link #closeAllAndAwait}. */
    private final Semaphore ended = new Semaphore(0);
    private PusherClient.Listener extra;
    /** wss when set (--wss); plain ws otherwise. */
    private SslContext tls;

    ClientFleet(Options o, int count, IntFunction<ClientSpec> specs) {
        this(Net.group(o.threads(), "bench-ws"), true, o.host(), o.wsPorts(), o.key(), o.secret(), count,
                o.integer("ramp-inflight", 200), specs);
        firstIndex = o.integer("child-offset", 0);
        if (o.flag("wss", false)) {
            try {
                // Trust-all on purpose: a load generator against one's own server, measuring the server's TLS cost.
                tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot set up TLS for the clients", e);
            }
        }
    }

    ClientFleet(EventLoopGroup group, boolean ownsGroup, String host, int[] ports, String key, String secret, int count,
                int rampInFlight, IntFunction<ClientSpec> specs) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.host = host;
        this.ports = ports.clone();
        this.key = key;
        this.secret = secret;
        this.count = count;
        this.rampInFlight = Math.max(1, rampInFlight);
        this.specs = specs;
        this.inFlight = new Semaphore(this.rampInFlight);
        for (EventExecutor e : group) {
            executors.add(e);
            loops.put(e, new LoopStats());
        }
    }

    /** Also tell {@code listener} about subscriptions made after set-up (presence churn). */
    void listener(PusherClient.Listener listener) {
        this.extra = listener;
    }

    List<PusherClient> clients() {
        return new ArrayList<>(readyClients);
    }

    @Override
    public ConnectResult connect() throws InterruptedException {
        WebSocketClientProtocolConfig[] configs = new WebSocketClientProtocolConfig[ports.length];
        for (int p = 0; p < ports.length; p++) {
            URI uri = URI.create((tls == null ? "ws://" : "wss://") + host + ":" + ports[p] + "/app/" + key + "?protocol=7&client=bench&version=1.0");
            configs[p] = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri)
                    .version(WebSocketVersion.V13)
                    .handshakeTimeoutMillis(30_000)
                    .maxFramePayloadLength(1 << 20)
                    .withUTF8Validator(false) // the server's frames are trusted; validation would cost CPU per frame
                    .dropPongFrames(true)
                    .build();
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            ClientSpec spec = specs.apply(i);
            // Round robin over the nodes of a cluster: client i on the (i mod n)-th port, i counted over every
            // process, so that a scenario's spread over the nodes (a room's members on each) holds with --processes.
            int node = (firstIndex + i) % ports.length;
            WebSocketClientProtocolConfig ws = configs[node];
            int port = ports[node];
            EventLoop loop = group.next();
            PusherClient client = new PusherClient(spec, key, secret, loops.get(loop), this);
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(Net.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                            }
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16384),
                                    new WebSocketClientProtocolHandler(ws), client);
                        }
                    });
            ChannelFuture f = b.connect(host, port);
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    failed(client, "connect: " + done.cause());
                }
            });
        }
        // Generous: a cold cluster taking signed-in members into presence rooms of 100 joins a few dozen a second.
        if (!finished.tryAcquire(count, 60 + count / 20, TimeUnit.SECONDS)) {
            firstFailure.compareAndSet(null, "timed out waiting for connection set-up");
        }
        ConnectResult r = new ConnectResult();
        r.elapsedMicros = (System.nanoTime() - start) / 1_000;
        r.ready = readyClients.size();
        r.failed = failed.get();
        r.firstFailure = firstFailure.get();
        return r;
    }

    @Override
    public void ready(PusherClient client) {
        readyClients.add(client);
        inFlight.release();
        finished.release();
    }

    @Override
    public void failed(PusherClient client, String reason) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, reason);
        inFlight.release();
        finished.release();
    }

    @Override
    public void closed(PusherClient client) {
        closed.incrementAndGet();
        readyClients.remove(client);
        ended.release();
    }

    /**
     * Every ready client sends a close frame at once, as pusher-js's {@code disconnect()} does, and the server
     * answers and ends the socket; returns how many sockets ended within {@code timeoutMillis}.
     */
    long closeAllAndAwait(long timeoutMillis) throws InterruptedException {
        List<PusherClient> all = clients();
        ended.drainPermits();
        for (PusherClient c : all) {
            Channel ch = c.channel();
            if (ch != null) {
                ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int seen = 0;
        while (seen < all.size()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !ended.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            seen++;
        }
        return seen;
    }

    @Override
    public void subscribed(PusherClient client, String channel) {
        if (extra != null) {
            extra.subscribed(client, channel);
        }
    }

    @Override
    public void beginStep(int step) throws Exception {
        List<Future<StepStats>> resets = new ArrayList<>();
        for (EventExecutor e : executors) {
            LoopStats s = loops.get(e);
            resets.add(e.submit(() -> {
                s.beginStep(step);
                return s.snapshotAndReset();
            }));
        }
        for (Future<StepStats> f : resets) {
            f.get(30, TimeUnit.SECONDS);
        }
        closed.set(0);
    }

    @Override
    public long delivered() {
        long sum = 0;
        for (LoopStats s : loops.values()) {
            sum += s.delivered.get();
        }
        return sum;
    }

    /** Presence members known to the clients in their own channels, summed (see {@link LoopStats#known}). */
    long known() {
        long sum = 0;
        for (LoopStats s : loops.values()) {
            sum += s.known.get();
        }
        return sum;
    }

    /** Presence member events counted by the observers of the current step so far. */
    long members() {
        long sum = 0;
        for (LoopStats s : loops.values()) {
            sum += s.members.get();
        }
        return sum;
    }

    @Override
    public StepStats endStep() throws Exception {
        StepStats total = new StepStats();
        for (EventExecutor e : executors) {
            LoopStats s = loops.get(e);
            total.add(e.submit(s::snapshotAndReset).get(30, TimeUnit.SECONDS));
        }
        total.closed = closed.get();
        return total;
    }

    /** Runs {@code task} on the event loop of {@code client}. */
    static void onLoop(PusherClient client, Runnable task) {
        Channel ch = client.channel();
        if (ch != null) {
            ch.eventLoop().execute(task);
        }
    }

    @Override
    public void close() {
        for (PusherClient c : readyClients) {
            if (c.channel() != null) {
                c.channel().close();
            }
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
