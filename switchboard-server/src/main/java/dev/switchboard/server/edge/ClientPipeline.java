package dev.switchboard.server.edge;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of a socket accepted on the client port (and on the TLS port): admitted against the caps before
 * anything is read or allocated for it, then TLS when the port speaks it, the deadlines before the upgrade, the HTTP
 * codec, the in-flight marker for draining, the body bound and the router. The upgrade replaces all but the TLS
 * handler and the WebSocket decoder ({@link HttpRouter}).
 */
final class ClientPipeline extends ChannelInitializer<SocketChannel> {
    /** The name of the TLS handler in a secure socket's pipeline. */
    static final String TLS_HANDLER = "tls";

    private final EdgeContext edge;
    private final HttpConnections httpConnections;
    private final ChannelGroup channels;
    /** Null on a port without TLS. */
    private final TlsContexts tls;

    ClientPipeline(EdgeContext edge, HttpConnections httpConnections, ChannelGroup channels, TlsContexts tls) {
        this.edge = edge;
        this.httpConnections = httpConnections;
        this.channels = channels;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // Before anything is read or allocated for it: over a cap, the descriptor goes back at once.
        Object admitted = httpConnections.admit(ch.remoteAddress());
        if (!(admitted instanceof HttpConnections.Slot slot)) {
            (admitted == HttpConnections.Refusal.NODE ? edge.counters().httpRefusedNode
                    : edge.counters().httpRefusedAddress).increment();
            ch.close();
            return;
        }
        channels.add(ch);
        if (tls != null) {
            // The TLS handler stays first for the socket's life; NettyPeer writes through it.
            ch.pipeline().addLast(TLS_HANDLER, tls.newHandler(ch));
        }
        HttpGuard guard = new HttpGuard(httpConnections, slot, edge.sweeps(ch.eventLoop()).httpGuards(),
                edge.counters());
        ch.pipeline()
                .addLast("http-guard", guard)
                .addLast("http-codec", new HttpServerCodec())
                .addLast("http-in-flight", new HttpInFlight(guard))
                .addLast("http-aggregator", new JsonHttpObjectAggregator(edge.config().maxHttpBodyBytes(),
                        edge.config().maxHttpDiscardBytes(), edge.counters()))
                .addLast("http", new HttpRouter(edge));
    }
}
