package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.RawSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real server on a free port, driven by the JDK WebSocket and HTTP clients and by hand-written frames. */
class EdgeServerTest {
    static final int MAX_FRAME = 4096;
    static final int MAX_BODY = 4096;

    static Switchboard server;
    static int port;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = Switchboard.start(ConfigLoader.load(new String[] {
                "--host=127.0.0.1", "--port=0", "--metrics-port=0", "--activity-timeout-seconds=1", "--pong-timeout-seconds=1",
                "--max-frame-bytes=" + MAX_FRAME, "--max-http-body-bytes=" + MAX_BODY, "--worker-threads=2"},
                Map.of()));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---------------------------------------------------------------- WebSocket: the upgrade and its close codes

    @Test
    void connectsAndGetsConnectionEstablishedFirst() throws Exception {
        RawSocket c = RawSocket.connect(port, "/app/app-key?protocol=7&client=js&version=8.6.0&flash=false");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.first() != null);
        JsonNode first = WireCodec.parse(c.first());
        assertThat(first.get("event").asText()).isEqualTo("pusher:connection_established");
        JsonNode data = WireCodec.parse(first.get("data").asText());
        assertThat(data.get("socket_id").asText()).matches("^\\d+\\.\\d+$");
        assertThat(data.get("activity_timeout").asInt()).isEqualTo(1);
    }

    @Test
    void acceptsAPathPrefixAndTheJavaClientsProtocol5() throws Exception {
        RawSocket c = RawSocket.connect(port, "/some/prefix/app/app-key?client=java-client&protocol=5&version=2.4.4");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.first() != null);
        assertThat(c.first()).contains("pusher:connection_established");
    }

    @Test
    void treatsAMissingProtocolAsCurrentForJsClients() throws Exception {
        RawSocket c = RawSocket.connect(port, "/app/app-key?client=js&version=8.6.0");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.first() != null);
        assertThat(c.first()).contains("pusher:connection_established");
    }

    @Test
    void badPathIsClosedWith4005() throws Exception {
        assertRefused("/nope/app-key?protocol=7", 4005);
        assertRefused("/app/?protocol=7", 4005);
        assertRefused("/app/app-key/extra?protocol=7", 4005);
    }

    @Test
    void missingProtocolIsClosedWith4008() throws Exception {
        assertRefused("/app/app-key?client=java-client", 4008);
    }

    @Test
    void unsupportedProtocolIsClosedWith4007() throws Exception {
        assertRefused("/app/app-key?protocol=3", 4007);
        assertRefused("/app/app-key?protocol=8", 4007);
        assertRefused("/app/app-key?protocol=seven", 4007);
    }

    @Test
    void malformedVersionIsClosedWith4006() throws Exception {
        assertRefused("/app/app-key?protocol=7&version=banana", 4006);
    }

    @Test
    void unknownKeyIsClosedWith4001() throws Exception {
        assertRefused("/app/no-such-key?protocol=7", 4001);
    }

    private static void assertRefused(String pathAndQuery, int code) throws Exception {
        RawSocket c = RawSocket.connect(port, pathAndQuery);
        assertThat(c.awaitCloseCode(Duration.ofSeconds(10))).as(pathAndQuery).isEqualTo(code);
        // The pusher:error with the same code precedes the close frame (needed by protocol < 6 clients).
        assertThat(c.frames()).hasSize(1);
        JsonNode error = WireCodec.parse(c.first());
        assertThat(error.get("event").asText()).isEqualTo("pusher:error");
        assertThat(error.get("data").get("code").asInt()).isEqualTo(code);
    }

    // ---------------------------------------------------------------- WebSocket: frames

    @Test
    void binaryFrameGetsAnErrorAndTheConnectionSurvives() throws Exception {
        RawSocket c = connected();
        c.socket().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.frames().size() >= 2);
        JsonNode error = WireCodec.parse(c.frames().get(1));
        assertThat(error.get("event").asText()).isEqualTo("pusher:error");
        assertThat(error.get("data").get("code").isNull()).isTrue();
        assertThat(error.get("data").get("message").asText()).isEqualTo("Binary frames are not supported");

        c.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.frames().stream().anyMatch(m -> m.contains("pusher:pong")));
        assertThat(c.closeCode()).isNull();
    }

    @Test
    void oversizeFrameIsClosedWith1009() throws Exception {
        long counted = server.edgeCounters().oversizeFramesClosed.sum();
        RawSocket c = connected();
        c.socket().sendText("x".repeat(MAX_FRAME + 1), true);
        assertThat(c.awaitCloseCode(Duration.ofSeconds(10))).isEqualTo(1009);
        assertThat(server.edgeCounters().oversizeFramesClosed.sum()).isGreaterThan(counted);
    }

    @Test
    void oversizeFragmentedMessageIsClosedWith1009() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            byte[] half = "y".repeat(MAX_FRAME / 2 + 10).getBytes(StandardCharsets.UTF_8);
            ws.send(RawWebSocket.TEXT, half, false);
            long counted = server.edgeCounters().oversizeFramesClosed.sum();
            ws.send(0x0, half, true); // continuation
            RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(server.edgeCounters().oversizeFramesClosed.sum()).isGreaterThan(counted);
        }
    }

    @Test
    void fragmentedTextIsReassembled() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            ws.send(RawWebSocket.TEXT, "{\"event\":\"pusher:".getBytes(StandardCharsets.UTF_8), false);
            ws.send(0x0, "ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8), true);
            assertThat(ws.readUntil(RawWebSocket.TEXT).text()).contains("pusher:pong");
        }
    }

    @Test
    void answersPingControlFrames() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            ws.send(RawWebSocket.PING, "hi".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame pong = ws.readUntil(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("hi");
        }
    }

    @Test
    void clientCloseIsEchoed() throws Exception {
        RawSocket c = connected();
        c.socket().sendClose(1000, "bye").join();
        assertThat(c.awaitCloseCode(Duration.ofSeconds(10))).isEqualTo(1000);
    }

    // ---------------------------------------------------------------- liveness (§1.3)

    @Test
    void silentSocketIsPingedThenClosedWith4201() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            RawWebSocket.Frame ping = ws.readUntil(RawWebSocket.PING);
            assertThat(ping).isNotNull();
            // No pong: the server gives up after the pong timeout.
            RawWebSocket.Frame error = ws.readUntil(RawWebSocket.TEXT);
            assertThat(WireCodec.parse(error.text()).get("data").get("code").asInt()).isEqualTo(4201);
            RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(4201);
        }
    }

    @Test
    void socketThatAnswersPingsStaysOpen() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/app-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
            // Three rounds of activity timeout (1 s) + answered ping: well past the pong timeout (1 s).
            for (int i = 0; i < 3; i++) {
                RawWebSocket.Frame f = ws.read();
                assertThat(f.opcode()).isEqualTo(RawWebSocket.PING);
                ws.send(RawWebSocket.PONG, f.payload());
            }
            ws.sendText("{\"event\":\"pusher:ping\",\"data\":{}}");
            assertThat(ws.readUntil(RawWebSocket.TEXT).text()).contains("pusher:pong");
        }
    }

    // ---------------------------------------------------------------- HTTP

    @Test
    void upAndHealthAre200() throws Exception {
        for (String path : new String[] {"/up", "/health"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(r.body()).matches("\\{\"ok\":true,\"node\":\"[0-9a-f-]+\",\"live_nodes\":1}");
        }
    }

    @Test
    void unknownPathIs404Json() throws Exception {
        HttpResponse<String> r = get("/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(WireCodec.parse(r.body()).get("error").asText()).isEqualTo("Not found");
    }

    @Test
    void appsPathsGoToTheApi() throws Exception {
        HttpResponse<String> r = get("/apps/app-id/channels");
        // Unsigned: the API refuses it with a 4xx and a JSON error body.
        assertThat(r.statusCode()).isBetween(400, 499);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(WireCodec.parse(r.body()).has("error")).isTrue();
    }

    @Test
    void signedTriggerFromPusherHttpJavaReachesASubscriber() throws Exception {
        RawSocket c = connected();
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> c.frames().stream().anyMatch(m -> m.contains("subscription_succeeded")));
        com.pusher.rest.Pusher sdk = new com.pusher.rest.Pusher(
                "http://app-key:app-secret@127.0.0.1:" + port + "/apps/app-id");
        try {
            com.pusher.rest.data.Result r = sdk.trigger("news", "headline", Map.of("text", "a, b & c"));
            assertThat(r.getHttpStatus()).as(r.getMessage()).isEqualTo(200);
        } finally {
            sdk.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> c.frames().stream().anyMatch(m -> m.contains("headline")));
    }

    @Test
    void metricsAreServedOnTheirOwnPortAndNotOnTheClientPort() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("switchboard_edge_pings_sent");
        HttpResponse<String> onClientPort = get("/metrics");
        assertThat(onClientPort.statusCode()).isEqualTo(404);
        assertThat(onClientPort.body()).doesNotContain("switchboard_");
    }

    @Test
    void oversizedBodyIs413Json() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/apps/app-id/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"" + "z".repeat(MAX_BODY) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(WireCodec.parse(r.body()).get("error").asText()).contains("too large");
    }

    @Test
    void malformedRequestIs400Json() throws Exception {
        String response = raw("THIS IS NOT HTTP\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("application/json").contains("{\"error\":\"Bad request\"}");
    }

    @Test
    void upgradeWithoutKeyIs400JsonAndLogsNoWarning() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        root.addAppender(appender);
        try {
            String upgrade = "GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n";
            for (int i = 0; i < 50; i++) {
                String response = raw(upgrade);
                assertThat(response).startsWith("HTTP/1.1 400").contains("application/json")
                        .contains("Bad WebSocket handshake");
            }
            assertThat(appender.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)
                    || e.getThrowableProxy() != null);
        } finally {
            root.detachAppender(appender);
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        String one = "GET /up HTTP/1.1\r\nHost: x\r\n\r\n";
        String response = raw(one + one + "GET /up HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response.split("HTTP/1.1 200", -1)).hasSize(4);
    }

    private static RawSocket connected() throws Exception {
        RawSocket c = RawSocket.connect(port, "/app/app-key?protocol=7&client=js&version=8.6.0");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.first() != null);
        assertThat(c.first()).contains("pusher:connection_established");
        return c;
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes the bytes on a fresh connection and reads until the server closes it. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
