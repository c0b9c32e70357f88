package dev.switchboard.server.edge;

import dev.switchboard.server.limits.TokenBucket;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import dev.switchboard.server.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP entry point of a connection: a WebSocket upgrade on any path (refusals become close codes
 * after the upgrade), else the route table ({@link HttpRoutes}: the API under {@code /apps/}, the dashboard when it
 * is on, {@code /metrics}, {@code /up} and {@code /health}) and a JSON 404 for the rest. Malformed requests get a
 * JSON 400, never a stack trace.
 */
final class HttpRouter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /** What a client can make happen again and again is logged at most once per 30 s per kind, with a count. */
    private static final RateLimitedLog limited = new RateLimitedLog(log);

    private static final HttpReply NOT_FOUND = HttpReply.error(404, "Not found");
    private static final HttpReply METHOD_NOT_ALLOWED = HttpReply.error(405, "Method not allowed");
    private static final HttpReply INTERNAL_ERROR = HttpReply.error(500, "Internal server error");

    private final EdgeContext edge;
    /** This connection's hang-up has been logged: a reset mid-body is reported twice by Netty. */
    private boolean hangUpLogged;

    HttpRouter(EdgeContext edge) {
        this.edge = edge;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        FullHttpRequest req = (FullHttpRequest) msg;
        try {
            if (!req.decoderResult().isSuccess()) {
                edge.counters().httpBadRequests.increment();
                respond(ctx, req, HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "Bad request"), true);
            } else if (isWebSocketUpgrade(req)) {
                upgrade(ctx, req);
            } else {
                route(ctx, req);
            }
        } finally {
            req.release();
        }
    }

    private static boolean isWebSocketUpgrade(FullHttpRequest req) {
        return HttpMethod.GET.equals(req.method())
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * The request's target is parsed once, into the {@link HttpCall} every port reads, and matched once against the
     * route table. The answer may complete later (a cluster asks its shared state) and on another thread: it is
     * written on the connection's event loop. Everything needed of the request is read now, as the caller releases
     * it.
     */
    private void route(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean head = HttpMethod.HEAD.equals(req.method());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpVersion version = req.protocolVersion();
        String method = req.method().name();
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        HttpRoute route = edge.routes().find(path);
        CompletionStage<HttpReply> answer;
        if (route == null) {
            answer = CompletableFuture.completedFuture(NOT_FOUND);
        } else if (route.readOnly() && !head && !HttpMethod.GET.equals(req.method())) {
            answer = CompletableFuture.completedFuture(METHOD_NOT_ALLOWED);
        } else {
            try {
                answer = route.port().answer(new HttpCall(method, path, q < 0 ? "" : uri.substring(q + 1),
                        req.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(req.content()),
                        edge.limits().clientAddress(ctx.channel(), req.headers())));
            } catch (RuntimeException e) {
                // Every port is its own error boundary and never throws by contract; this keeps a bug from leaking
                // a stack trace.
                edge.counters().handlerErrors.increment();
                limited.error("port-threw", "HTTP {} {} failed", method, path, e);
                answer = CompletableFuture.completedFuture(INTERNAL_ERROR);
            }
        }
        answer.whenComplete((reply, failure) -> {
            if (failure != null || reply == null) {
                edge.counters().handlerErrors.increment();
                limited.error("port-failed", "HTTP {} {} failed", method, path, failure);
                reply = INTERNAL_ERROR;
            }
            HttpReply r = reply;
            if (ctx.executor().inEventLoop()) {
                reply(ctx, r, head, keepAlive, version);
            } else {
                ctx.executor().execute(() -> reply(ctx, r, head, keepAlive, version));
            }
        });
    }

    private void reply(ChannelHandlerContext ctx, HttpReply reply, boolean head, boolean keepAlive,
                       HttpVersion version) {
        if (reply.stream() != null) {
            HttpResponses.openStream(ctx, reply);
        } else {
            respond(ctx, keepAlive, version, HttpResponses.of(reply, head), false);
        }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse response, boolean forceClose) {
        respond(ctx, HttpUtil.isKeepAlive(req), req.protocolVersion(), response, forceClose);
    }

    /** Closes the connection after the answer once the node drains (checked as the answer leaves). */
    private void respond(ChannelHandlerContext ctx, boolean requestKeepAlive, HttpVersion version,
                         FullHttpResponse response, boolean forceClose) {
        HttpResponses.write(ctx, response, !forceClose && !edge.drain().begun() && requestKeepAlive, version);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (edge.drain().begun()) {
            // The node is closing its sockets (shutdown_drain_seconds): a new one would be closed again within
            // seconds. A refused upgrade makes pusher-js and the Java client retry after their back-off, by then
            // through a load balancer that has seen /up answer 503.
            FullHttpResponse refusal = HttpResponses.json(503, HttpResponses.SHUTTING_DOWN);
            refusal.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
            respond(ctx, req, refusal, true);
            return;
        }
        ConnectionLimits limits = edge.limits();
        String client = limits.clientAddress(ctx.channel(), req.headers());
        long wait = limits.admitNew(client);
        if (wait > 0) {
            // Refused before the handshake: it costs no WebSocket state, and pusher-js retries a refused upgrade
            // after its back-off, where a 43xx close code would make it give up for good (PROTOCOL.md §1.5).
            edge.counters().connectionsRateLimited.increment();
            FullHttpResponse refusal = HttpResponses.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "Too many new connections from this address (limit " + limits.perAddressRate() + " per second)");
            refusal.headers().set(HttpHeaderNames.RETRY_AFTER, TokenBucket.retryAfterSeconds(wait));
            respond(ctx, req, refusal, true);
            return;
        }
        WebSocketServerHandshaker handshaker = edge.handshakers().newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        WebSocketTarget target = WebSocketTarget.parse(req.uri());
        // Checked by the sessions once the app is known (it may still have to be read from the apps database),
        // before the engine hears of the socket: a refused origin touches no app state.
        target = target.withOrigin(req.headers().get(HttpHeaderNames.ORIGIN)).withClient(client);
        var p = ctx.pipeline();
        p.remove(HttpInFlight.class);
        // No longer a connection before the upgrade: its deadlines end and its slot goes back.
        p.remove(HttpGuard.class);
        // Liveness is the event loop's sweep, the frame aggregator is added on the first fragment and the encoder
        // is dropped after the 101: an idle socket keeps only the WebSocket decoder and this frame handler.
        WebSocketFrameHandler frames = new WebSocketFrameHandler(target, edge);
        p.replace(this, "ws", frames);
        ChannelHandlerContext wsCtx = p.context(frames);
        // The handshake swaps the HTTP codec for the WebSocket decoder and drops the aggregator; the session opens
        // behind the 101, and the 101 and connection_established leave in one flush.
        Channel ch = ctx.channel();
        try {
            OneFlushHandshake.handshake(handshaker, ch, req, () -> frames.upgraded(wsCtx)).addListener(f -> {
                if (!f.isSuccess()) {
                    wsCtx.close();
                }
            });
        } catch (WebSocketServerHandshakeException e) {
            // Thrown before the HTTP codec is swapped (e.g. no Sec-WebSocket-Key): the client's fault, so a JSON 400
            // and one debug line, not a stack trace an attacker can repeat a thousand times a second.
            edge.counters().httpBadRequests.increment();
            log.debug("Bad WebSocket handshake from {}: {}", ch.remoteAddress(), e.getMessage());
            FullHttpResponse bad = HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "Bad WebSocket handshake");
            bad.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException
                || TlsContexts.isPeerTlsFailure(cause)) {
            // A reset, a client hanging up mid-body (the aggregator then reports the cut message as well), or a
            // client that does not speak TLS on a TLS port: the client's problem, one debug line per connection.
            if (!hangUpLogged) {
                hangUpLogged = true;
                log.debug("I/O or TLS error on {}: {}", ctx.channel().remoteAddress(), cause.toString());
            }
        } else {
            edge.counters().handlerErrors.increment();
            limited.warn("http-error", "HTTP error on {}; closing", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
