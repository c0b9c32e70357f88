package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;
import static org.awaitility.Awaitility.await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Protocol faults answered in the protocol's own words: 1007 for text that is not UTF-8, a readable 413. */
class ProtocolFaultsTest {
    static final int MAX_BODY = 4096;

    static Switchboard server;
    static int port;

    @BeforeAll
    static void start() {
        server = Switchboard.start(ConfigLoader.load(new String[] {
                "--host=127.0.0.1", "--port=0", "--metrics-port=0", "--max-http-body-bytes=" + MAX_BODY, "--worker-threads=1"},
                Map.of()));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void textFrameWithInvalidUtf8IsClosedWith1007() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            // 0xC3 starts a two-byte sequence; 0x28 cannot continue it.
            ws.send(RawWebSocket.TEXT, new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', '}'});
            RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1007);
        }
        assertThat(server.edgeCounters().invalidUtf8Closed.sum()).isPositive();
    }

    @Test
    void fragmentedMessageWithInvalidUtf8IsClosedWith1007() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            ws.send(RawWebSocket.TEXT, "{\"event\":\"pusher:ping\",".getBytes(StandardCharsets.UTF_8), false);
            // A lone continuation byte.
            ws.send(0x0, new byte[] {'"', 'x', '"', ':', '"', (byte) 0x80, '"', '}'}, true);
            assertThat(ws.readUntil(RawWebSocket.CLOSE).closeCode()).isEqualTo(1007);
        }
    }

    @Test
    void validMultiByteTextStillWorks() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            ws.sendText("{\"event\":\"pusher:ping\",\"data\":{\"note\":\"h\u00e9 \u20ac \ud83d\ude00\"}}");
            assertThat(ws.readUntil(RawWebSocket.TEXT).text()).contains("pusher:pong");
        }
    }

    /**
     * A client that writes its whole body before reading, as curl and most libraries do: with a body larger
     * than the socket buffers, closing at once would reset it mid-write. Ten tries, every one must read the 413.
     */
    @Test
    void clientWritingAWholeOversizedBodyReadsThe413() throws Exception {
        byte[] body = new byte[512 * 1024];
        Arrays.fill(body, (byte) 'z');
        for (int i = 0; i < 10; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /apps/app-id/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                String response = b.toString(StandardCharsets.UTF_8);
                assertThat(response).as("try %d", i).startsWith("HTTP/1.1 413");
                String json = response.substring(response.indexOf("\r\n\r\n") + 4);
                assertThat(WireCodec.parse(json).get("error").asText()).contains("too large");
            }
        }
    }

    /** Past max_http_discard_bytes the server stops reading; the 413 is still the first thing sent. */
    @Test
    void chunkedOversizedBodyIsAnswered413() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /apps/app-id/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[MAX_BODY];
            Arrays.fill(chunk, (byte) 'q');
            for (int i = 0; i < 3; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            s.getInputStream().transferTo(b);
            assertThat(b.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 413");
        }
    }

    /**
     * A client that sends half a body and hangs up (FIN or RST) is the client's business: at most one debug line
     * each, no warning, no handler error, and the server goes on serving.
     */
    @Test
    void clientHangingUpMidBodyIsADebugLineAtMost() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openSockets() == 0);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
        Level before = ours.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ours.addAppender(appender);
        ours.setLevel(Level.DEBUG);
        long errorsBefore = server.edgeCounters().handlerErrors.sum();
        int hangUps = 20;
        try {
            for (int i = 0; i < hangUps; i++) {
                Socket s = new Socket("127.0.0.1", port);
                OutputStream out = s.getOutputStream();
                out.write(("POST /apps/app-id/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"name\":\"half").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (i % 2 == 0) {
                    s.setSoLinger(true, 0); // RST
                }
                s.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openSockets() == 0);
        } finally {
            ours.detachAppender(appender);
            ours.setLevel(before);
        }
        assertThat(appender.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(appender.list).noneMatch(e -> e.getThrowableProxy() != null);
        assertThat(appender.list.size()).as("log lines: %s", appender.list).isLessThanOrEqualTo(hangUps);
        assertThat(server.edgeCounters().handlerErrors.sum()).isEqualTo(errorsBefore);
    }
}
