package dev.switchboard.server.edge;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of a socket on the metrics listener: HTTP and {@link MetricsHttp}, nothing else. */
final class MetricsPipeline extends ChannelInitializer<SocketChannel> {
    /** A scrape request has no body; anything larger is not a scraper. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    /** Apart from the client port's sockets: a scraper's keep-alive connection must not hold up the drain. */
    private final ChannelGroup channels;
    private final HttpPort metrics;
    private final EdgeCounters counters;

    MetricsPipeline(ChannelGroup channels, HttpPort metrics, EdgeCounters counters) {
        this.channels = channels;
        this.metrics = metrics;
        this.counters = counters;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ch.pipeline()
                .addLast("http-codec", new HttpServerCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast("metrics", new MetricsHttp(metrics, counters));
    }
}
