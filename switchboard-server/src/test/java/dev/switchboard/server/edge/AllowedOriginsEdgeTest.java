package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** allowed_origins on the real server: a browser from another origin is closed 4009 before the engine sees it. */
class AllowedOriginsEdgeTest {
    static Switchboard server;
    static int port;

    @BeforeAll
    static void start() {
        server = Switchboard.start(ConfigLoader.load(new String[] {"--host=127.0.0.1", "--port=0", "--metrics-port=0", "--worker-threads=1"},
                Map.of("SWITCHBOARD_APPS", "[{\"id\":\"guarded\",\"key\":\"guarded-key\",\"secret\":\"s1\","
                        + "\"allowed_origins\":[\"https://app.example.com\",\"https://*.example.org\"]},"
                        + "{\"id\":\"open\",\"key\":\"open-key\",\"secret\":\"s2\"}]")));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anotherOriginIsClosedWith4009BeforeTheAppSeesIt() throws Exception {
        long refusedBefore = server.edgeCounters().originsRefused.sum();
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/guarded-key?protocol=7", 0,
                "Origin: https://evil.example.net\r\n")) {
            RawWebSocket.Frame error = ws.read();
            JsonNode json = WireCodec.parse(error.text());
            assertThat(json.get("event").asText()).isEqualTo("pusher:error");
            assertThat(json.get("data").get("code").asInt()).isEqualTo(4009);
            assertThat(json.get("data").get("message").asText()).isEqualTo("Origin not allowed");
            assertThat(ws.readUntil(RawWebSocket.CLOSE).closeCode()).isEqualTo(4009);
        }
        assertThat(server.edgeCounters().originsRefused.sum()).isEqualTo(refusedBefore + 1);
        // No connection was opened in the app: nothing to count, nothing to close.
        assertThat(server.engine().appById("guarded").connectionCount()).isZero();
    }

    @Test
    void listedOriginsAndSubdomainsAreAccepted() throws Exception {
        for (String origin : new String[] {"https://app.example.com", "https://x.y.example.org"}) {
            try (RawWebSocket ws = RawWebSocket.connect(port, "/app/guarded-key?protocol=7", 0,
                    "Origin: " + origin + "\r\n")) {
                assertThat(ws.read().text()).as(origin).contains("pusher:connection_established");
            }
        }
    }

    @Test
    void aClientWithoutOriginIsAccepted() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/guarded-key?protocol=7")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
        }
    }

    @Test
    void anAppWithoutTheSettingTakesAnyOrigin() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/app/open-key?protocol=7", 0,
                "Origin: https://evil.example.net\r\n")) {
            assertThat(ws.read().text()).contains("pusher:connection_established");
        }
    }
}
