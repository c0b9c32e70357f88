package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the server writes must be what Netty's encoder would have written: read back by a client-side decoder. */
class ServerFramesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** A client's decoder: expects unmasked frames, accepts up to 1 MiB. */
    private static Object decode(ByteBuf wire) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).allowMaskMismatch(false).maxFramePayloadLength(1 << 20).build()));
        client.writeInbound(wire);
        Object frame = client.readInbound();
        assertThat(client.<Object>readInbound()).as("exactly one frame").isNull();
        client.finishAndReleaseAll();
        return frame;
    }

    @Test
    void textFramesOfEveryLengthClassReadBack() {
        for (int n : new int[] {0, 1, 125, 126, 65_535, 65_536, 200_000}) {
            byte[] payload = "x".repeat(n).getBytes(StandardCharsets.UTF_8);
            for (ByteBuf wire : new ByteBuf[] {ServerFrames.text(ALLOC, payload), ServerFrames.sharedText(payload)}) {
                Object frame = decode(wire);
                assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
                TextWebSocketFrame text = (TextWebSocketFrame) frame;
                assertThat(text.isFinalFragment()).isTrue();
                assertThat(text.content().readableBytes()).isEqualTo(n);
                text.release();
            }
        }
    }

    @Test
    void closeFramesCarryStatusAndReason() {
        CloseWebSocketFrame close = (CloseWebSocketFrame) decode(ServerFrames.close(ALLOC, 4201, "Pong reply not received: é"));
        assertThat(close.statusCode()).isEqualTo(4201);
        assertThat(close.reasonText()).isEqualTo("Pong reply not received: é");
        close.release();
        CloseWebSocketFrame normal = (CloseWebSocketFrame) decode(ServerFrames.close(ALLOC, WebSocketCloseStatus.NORMAL_CLOSURE));
        assertThat(normal.statusCode()).isEqualTo(1000);
        normal.release();
        CloseWebSocketFrame empty = (CloseWebSocketFrame) decode(ServerFrames.close(ALLOC, 1001, ""));
        assertThat(empty.statusCode()).isEqualTo(1001);
        assertThat(empty.reasonText()).isEmpty();
        empty.release();
    }

    @Test
    void pingAndPongEchoingThePayload() {
        Object ping = decode(ServerFrames.ping(ALLOC));
        assertThat(ping).isInstanceOf(PingWebSocketFrame.class);
        assertThat(((PingWebSocketFrame) ping).content().readableBytes()).isZero();
        ((PingWebSocketFrame) ping).release();

        ByteBuf payload = Unpooled.copiedBuffer("are you there", StandardCharsets.US_ASCII);
        Object pong = decode(ServerFrames.pong(ALLOC, payload));
        assertThat(pong).isInstanceOf(PongWebSocketFrame.class);
        assertThat(((PongWebSocketFrame) pong).content().toString(StandardCharsets.US_ASCII)).isEqualTo("are you there");
        assertThat(payload.readerIndex()).as("the ping's payload is left for its owner to release").isZero();
        ((PongWebSocketFrame) pong).release();
        payload.release();
    }

    @Test
    void anUpgradedIdleSocketKeepsOnlyTheDecoderAndTheFrameHandler() throws Exception {
        try (Switchboard server = Switchboard.start(ConfigLoader.load(
                new String[] {"--host=127.0.0.1", "--port=0", "--metrics-port=0"}, Map.of()));
             RawWebSocket client = RawWebSocket.connect(server.port(), "/app/app-key?protocol=7")) {
            assertThat(client.read().text()).contains("pusher:connection_established");
            client.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"idle\"}}");
            assertThat(client.readUntil(RawWebSocket.TEXT).text()).contains("subscription_succeeded");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.socketHandlers().size() == 1);
            assertThat(server.socketHandlers().get(0))
                    .containsExactly(WebSocket13FrameDecoder.class.getSimpleName(), WebSocketFrameHandler.class.getSimpleName());
            // And what it writes without the encoder still reaches the client: a ping answered with a pong.
            client.send(RawWebSocket.PING, "p".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readUntil(RawWebSocket.PONG).text()).isEqualTo("p");
        }
    }

    @Test
    void dropEncoderLeavesNoWebSocketEncoder() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        ServerFrames.dropEncoder(ch.pipeline());
        assertThat(ch.pipeline().get(WebSocketFrameEncoder.class)).isNull();
        ServerFrames.dropEncoder(ch.pipeline()); // none left: nothing to do
        ch.finishAndReleaseAll();
    }
}
