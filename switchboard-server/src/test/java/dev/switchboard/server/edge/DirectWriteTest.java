package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.testing.ClientFrames;
import org.junit.jupiter.api.Test;

/**
 * A lone frame is written to the socket's file descriptor at the flush (NettyPeer): when the socket takes only part
 * of it, the rest must follow through Netty, whole and before the next frame.
 */
class DirectWriteTest {
    private static final String[] RAISED_MARKS = {
            "--write-buffer-high-water-mark=33554432", "--write-buffer-low-water-mark=16777216"};

    @Test
    void aFrameTheSocketTakesOnlyPartOfArrivesWholeAndInOrder() throws Exception {
        // High marks above the frame, so that what queues behind the partial write is not a slow consumer.
        try (EdgeFixture edge = EdgeFixture.start(RAISED_MARKS)) {
            RawWebSocket client = edge.subscribe("big", 4096);
            AppEngine app = edge.app();
            // Far more than a loopback socket's send and receive buffers take at once while the client is not
            // reading: the first write(2) is partial.
            String first = "a".repeat(4 * 1024 * 1024);
            String second = "b".repeat(1000);
            app.trigger("big", "first", first, null);
            app.trigger("big", "second", second, null);
            app.trigger("big", "third", "3", null);

            var one = WireCodec.parse(client.readUntil(RawWebSocket.TEXT).text());
            assertThat(one.get("event").asText()).isEqualTo("first");
            assertThat(one.get("data").asText()).isEqualTo(first);
            var two = WireCodec.parse(client.readUntil(RawWebSocket.TEXT).text());
            assertThat(two.get("event").asText()).isEqualTo("second");
            assertThat(two.get("data").asText()).isEqualTo(second);
            var three = WireCodec.parse(client.readUntil(RawWebSocket.TEXT).text());
            assertThat(three.get("event").asText()).isEqualTo("third");
        }
    }

    /**
     * Frames sent to one socket on their own (sendToUser) go from the event loop's scratch buffer: once the socket's
     * buffers are full a send takes part of one (or none), and the rest must follow through Netty, whole and in order,
     * with the frames queued behind it.
     */
    @Test
    void framesSentToOneSocketOnTheirOwnArriveWholeAndInOrderWhenTheSocketFillsUp() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(RAISED_MARKS);
             RawWebSocket client = RawWebSocket.connect(edge.port(), "/app/app-key?protocol=7", 4096)) {
            var established = WireCodec.parse(client.read().text());
            String socketId = WireCodec.parse(established.get("data").asText()).get("socket_id").asText();
            client.sendText(ClientFrames.signin(edge.app().config(), socketId, "{\"id\":\"u1\"}"));
            assertThat(client.readUntil(RawWebSocket.TEXT).text()).contains("pusher:signin_success");
            // 600 × 9 KiB while the client reads nothing: far more than the loopback socket's buffers take.
            String padding = "x".repeat(9 * 1024);
            for (int i = 0; i < 600; i++) {
                edge.app().trigger("#server-to-user-u1", "n", i + ":" + padding, null);
            }
            for (int i = 0; i < 600; i++) {
                var m = WireCodec.parse(client.readUntil(RawWebSocket.TEXT).text());
                assertThat(m.get("data").asText()).isEqualTo(i + ":" + padding);
            }
        }
    }

    @Test
    void manySmallFramesOneAtATimeAllArriveInOrder() throws Exception {
        // 2000 frames can queue on the loop before one flush when the machine is busy: Netty counts each queued
        // entry with ~96 bytes of overhead, which passes the default 256 KiB mark, and the client would be closed
        // as a slow consumer (4101: seen on a loaded CI run). This test is about order, so the mark is raised.
        try (EdgeFixture edge = EdgeFixture.start(RAISED_MARKS)) {
            RawWebSocket client = edge.subscribe("seq");
            AppEngine app = edge.app();
            for (int i = 0; i < 2000; i++) {
                app.trigger("seq", "n", Integer.toString(i), null);
                if (i % 7 == 0) {
                    Thread.onSpinWait(); // mixes lone frames (direct) with bursts (through Netty)
                }
            }
            for (int i = 0; i < 2000; i++) {
                String text = client.readUntil(RawWebSocket.TEXT).text();
                var m = WireCodec.parse(text);
                assertThat(m.get("event").asText()).as(text).isEqualTo("n");
                assertThat(m.get("data").asText()).as(text).isEqualTo(Integer.toString(i));
            }
        }
    }
}
