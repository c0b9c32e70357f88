package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.engine.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 101 and the session's first frames reach the transport in one write (one send(2) on a real socket), in order,
 * with the HTTP codec out of the way before the session writes. Counted at the channel's own write (what a flush
 * hands the transport), not timed.
 */
class OneFlushHandshakeTest {

    /** An embedded channel that counts the writes a flush hands its transport, as one send(2) each on a socket. */
    private static final class CountingChannel extends EmbeddedChannel {
        int transportWrites;

        CountingChannel() {
            pipeline().addLast("http-codec", new HttpServerCodec());
        }

        @Override
        protected void doWrite(ChannelOutboundBuffer in) throws Exception {
            if (!in.isEmpty()) {
                transportWrites++;
            }
            super.doWrite(in);
        }
    }

    private static FullHttpRequest upgradeRequest(boolean withKey) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/app/app-key?protocol=7");
        req.headers().set("Host", "localhost").set("Upgrade", "websocket").set("Connection", "Upgrade")
                .set("Sec-WebSocket-Version", "13");
        if (withKey) {
            req.headers().set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        }
        return req;
    }

    private static WebSocketServerHandshaker handshaker(FullHttpRequest req) {
        return new WebSocketServerHandshakerFactory("ws://switchboard/", null, false).newHandshaker(req);
    }

    /** Everything the channel wrote, as text (ISO-8859-1: the frame headers are bytes). */
    private static List<String> written(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            out.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out;
    }

    @Test
    void theHundredOneAndConnectionEstablishedLeaveInOneWrite() {
        CountingChannel ch = new CountingChannel();
        FullHttpRequest req = upgradeRequest(true);
        NettyPeer peer = new NettyPeer(ch, new EdgeCounters());

        var written = OneFlushHandshake.handshake(handshaker(req), ch, req,
                () -> peer.send(Frame.of(new ServerMessage.ConnectionEstablished("1.2", 120))));
        req.release();
        ch.checkException();

        assertThat(written.isSuccess()).isTrue();
        assertThat(ch.transportWrites).isEqualTo(1);
        List<String> out = String.join("", written(ch)).lines().toList();
        assertThat(out.get(0)).startsWith("HTTP/1.1 101");
        assertThat(out.get(out.size() - 1)).contains("pusher:connection_established");
        // The codec's stand-in is gone with the 101 (the handshaker's listener), as is the frame encoder; the
        // WebSocket decoder reads from now on.
        assertThat(ch.pipeline().get("http-codec")).isNull();
        assertThat(ch.pipeline().get(OneFlushHandshake.HOLD)).isNull();
        assertThat(ch.pipeline().get(WebSocketFrameEncoder.class)).isNull();
        assertThat(ch.pipeline().get(WebSocketFrameDecoder.class)).isNotNull();
    }

    /** An app still being read from the apps database writes nothing at once: the 101 goes out alone. */
    @Test
    void aSessionThatWritesNothingYetStillGetsTheHundredOne() {
        CountingChannel ch = new CountingChannel();
        FullHttpRequest req = upgradeRequest(true);

        var written = OneFlushHandshake.handshake(handshaker(req), ch, req, () -> {});
        req.release();
        ch.checkException();

        assertThat(written.isSuccess()).isTrue();
        assertThat(ch.transportWrites).isEqualTo(1);
        assertThat(written(ch)).singleElement().asString().startsWith("HTTP/1.1 101");
    }

    /**
     * A refusal right after the upgrade writes its pusher:error and close frame from the pipeline's tail: they pass
     * the codec's stand-in (the HTTP encoder would refuse bytes after a response) and leave with the 101.
     */
    @Test
    void aRefusalWrittenThroughThePipelineFollowsTheHundredOne() {
        CountingChannel ch = new CountingChannel();
        FullHttpRequest req = upgradeRequest(true);
        NettyPeer peer = new NettyPeer(ch, new EdgeCounters());

        var written = OneFlushHandshake.handshake(handshaker(req), ch, req,
                () -> peer.close(CloseCode.APP_NOT_FOUND, "App key app-key not in use"));
        req.release();
        ch.checkException();

        assertThat(written.isSuccess()).isTrue();
        assertThat(ch.transportWrites).isEqualTo(1);
        String all = String.join("", written(ch));
        assertThat(all).startsWith("HTTP/1.1 101");
        assertThat(all.indexOf("pusher:error")).isGreaterThan(all.indexOf("\r\n\r\n"));
        assertThat(all).endsWith("App key app-key not in use");
    }

    /** Thrown before the pipeline changes (the caller answers 400): nothing of the handshake is left behind. */
    @Test
    void aBadHandshakeLeavesThePipelineAsItWas() {
        CountingChannel ch = new CountingChannel();
        FullHttpRequest req = upgradeRequest(false);
        WebSocketServerHandshaker hs = handshaker(req);

        assertThatThrownBy(() -> OneFlushHandshake.handshake(hs, ch, req, () -> {}))
                .isInstanceOf(WebSocketServerHandshakeException.class);
        req.release();

        assertThat(ch.pipeline().get(OneFlushHandshake.HOLD)).isNull();
        assertThat(ch.pipeline().get("http-codec")).isInstanceOf(HttpServerCodec.class);
        assertThat(ch.transportWrites).isZero();
    }
}
