package dev.switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * Triggers events over the HTTP API ({@code POST /apps/<id>/events}, signed) on several keep-alive
 * connections, all driven by one event loop.
 *
 * <p>Open loop: at rate R the n-th event is due at {@code start + n/R} whatever the server answers. A
 * due event goes out on an idle connection at once, otherwise waits in a bounded backlog; one that
 * would overflow the backlog is counted as not sent. A server that answers slowly therefore shows up
 * as a lower achieved rate, which the report prints next to the requested one. A connection the
 * server closes (soketi closes after every response) is opened again. Rate 0 means closed loop: every
 * connection sends its next request as soon as the previous one is answered (the http scenario).
 */
final class HttpPublisher implements AutoCloseable {
    /** The result of one run. */
    static final class Result {
        double requestedRate;
        long sent;
        long accepted;
        long rejected;
        long ioErrors;
        long notSent;
        long reconnects;
        double elapsedSeconds;
        Histogram latency = LoopStats.newHistogram();
        String firstError;

        double achievedRate() {
            return elapsedSeconds <= 0 ? 0 : accepted / elapsedSeconds;
        }
    }

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final String path;
    private final ApiSigner signer;
    private final String padding;
    private final List<Slot> slots = new ArrayList<>();
    private final ArrayDeque<Slot> idle = new ArrayDeque<>();
    private final Bootstrap bootstrap;

    // run state, touched only on the loop
    private Result result;
    private LongFunction<String> channels;
    private int step;
    private double rate;
    private long startNanos;
    private long endNanos;
    private long lastResponseNanos;
    private long issued;
    private long backlog;
    private long maxBacklog;
    private long seq;
    private int inFlight;
    private boolean stopping;
    private ScheduledFuture<?> ticker;
    private CompletableFuture<Result> done;

    HttpPublisher(Options o, int connections) {
        this.group = Net.group(1, "bench-http");
        this.loop = group.next();
        this.host = o.host();
        this.port = o.port();
        this.path = "/apps/" + o.appId() + "/events";
        this.signer = new ApiSigner(o.key(), o.secret());
        this.padding = "x".repeat(Math.max(0, o.integer("payload-bytes", 0)));
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(Net.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        for (int i = 0; i < Math.max(1, connections); i++) {
            slots.add(new Slot());
        }
    }

    /**
     * Publishes at {@code rate} events/s (0 = closed loop) for {@code seconds}, every event carrying
     * {@code step} and going to the channel {@code channels} picks for its sequence number; waits for
     * the answers of everything sent, then returns.
     */
    Result run(double rate, double seconds, int step, LongFunction<String> channels) throws Exception {
        CompletableFuture<Result> f = new CompletableFuture<>();
        loop.execute(() -> start(rate, seconds, step, channels, f));
        return f.get((long) seconds + 60, TimeUnit.SECONDS);
    }

    private void start(double rate, double seconds, int step, LongFunction<String> channels, CompletableFuture<Result> f) {
        this.result = new Result();
        this.result.requestedRate = rate;
        this.channels = channels;
        this.step = step;
        this.rate = rate;
        this.done = f;
        this.issued = 0;
        this.backlog = 0;
        this.seq = 0;
        this.stopping = false;
        this.maxBacklog = rate > 0 ? Math.max(64, (long) (rate / 4)) : 0;
        this.startNanos = System.nanoTime();
        this.endNanos = startNanos + (long) (seconds * 1e9);
        this.lastResponseNanos = startNanos;
        for (Slot s : slots) {
            if (s.channel == null || !s.channel.isActive()) {
                s.connect();
            }
        }
        ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        if (now >= endNanos) {
            stopping = true;
            ticker.cancel(false);
            result.notSent += backlog;
            backlog = 0;
            maybeFinish();
            return;
        }
        if (rate > 0) {
            long due = (long) ((now - startNanos) / 1e9 * rate);
            backlog += due - issued;
            issued = due;
            if (backlog > maxBacklog) {
                result.notSent += backlog - maxBacklog;
                backlog = maxBacklog;
            }
        }
        dispatch();
    }

    private void dispatch() {
        while (!stopping && !idle.isEmpty() && (rate <= 0 || backlog > 0)) {
            Slot s = idle.poll();
            if (s.channel == null || !s.channel.isActive()) {
                s.connect();
                continue;
            }
            if (rate > 0) {
                backlog--;
            }
            s.send();
        }
    }

    private void maybeFinish() {
        if (stopping && inFlight == 0 && done != null && !done.isDone()) {
            result.elapsedSeconds = (lastResponseNanos - startNanos) / 1e9;
            if (result.accepted == 0) {
                result.elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
            }
            done.complete(result);
        }
    }

    private void error(String what) {
        if (result != null && result.firstError == null) {
            result.firstError = what;
        }
    }

    /** One keep-alive connection; at most one request in flight (HTTP/1.1 without pipelining). */
    private final class Slot extends SimpleChannelInboundHandler<FullHttpResponse> {
        Channel channel;
        boolean busy;
        boolean connecting;
        long sentAt;

        void connect() {
            if (connecting) {
                return;
            }
            connecting = true;
            Slot self = this;
            bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), self);
                }
            }).connect(host, port).addListener((ChannelFutureListener) f -> {
                connecting = false;
                if (f.isSuccess()) {
                    channel = f.channel();
                    idle.add(this);
                    dispatch();
                } else {
                    if (result != null) {
                        result.ioErrors++;
                    }
                    error("connect: " + f.cause());
                    loop.schedule(this::connect, 10, TimeUnit.MILLISECONDS);
                }
            });
        }

        @Override
        public boolean isSharable() {
            return true; // one handler per slot, re-added to each new connection of the slot
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            super.channelActive(ctx);
        }

        void send() {
            long n = seq++;
            long now = EpochMicros.now();
            String data = "{\"bt\":" + now + ",\"seq\":" + n + ",\"st\":" + step
                    + (padding.isEmpty() ? "" : ",\"p\":\"" + padding + "\"") + "}";
            String json = "{\"name\":\"bench\",\"channels\":[\"" + channels.apply(n) + "\"],\"data\":\""
                    + data.replace("\"", "\\\"") + "\"}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String target = signer.target("POST", path, body, now / 1_000_000);
            ByteBuf content = Unpooled.wrappedBuffer(body);
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target, content);
            req.headers().set(HttpHeaderNames.HOST, host + ":" + port)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            busy = true;
            inFlight++;
            result.sent++;
            sentAt = System.nanoTime();
            channel.writeAndFlush(req);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            if (!busy) {
                return;
            }
            long now = System.nanoTime();
            busy = false;
            inFlight--;
            lastResponseNanos = now;
            result.latency.recordValue(Math.min(LoopStats.MAX_MICROS, (now - sentAt) / 1_000));
            String body = res.content().toString(StandardCharsets.UTF_8);
            // soketi answers API errors with status 200 and the error in the body
            if (res.status().code() == 200 && !body.contains("\"error\"")) {
                result.accepted++;
            } else {
                result.rejected++;
                error("HTTP " + res.status().code() + " " + body);
            }
            if (HttpUtil.isKeepAlive(res) && ctx.channel().isActive()) {
                idle.add(this);
                maybeFinish();
                dispatch();
            } else {
                result.reconnects++;
                ctx.channel().close();
                maybeFinish();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            idle.remove(this);
            if (busy) {
                busy = false;
                inFlight--;
                result.ioErrors++;
                error("connection closed with a request in flight");
            }
            channel = null;
            maybeFinish();
            if (!group.isShuttingDown()) {
                connect();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            error(cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
