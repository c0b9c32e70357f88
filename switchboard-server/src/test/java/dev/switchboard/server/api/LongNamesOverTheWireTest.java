package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.ServerUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real server with its default limits: a 60,000-character channel name fits in one WebSocket message and in
 * one API body, and the refusal of either quotes only a prefix of it.
 */
class LongNamesOverTheWireTest {
    static final String HUGE = "x".repeat(60_000);
    static ServerUnderTest server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = ServerUnderTest.start(ConfigLoader.load(new String[] {"--host=127.0.0.1", "--port=0",
                "--worker-threads=2"}, Map.of()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSubscribeToAHugeChannelNameGetsAShortError() {
        try (RawSocket c = RawSocket.open(server.port(), "app-key")) {
            c.socketId();
            c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + HUGE + "\"}}");
            JsonNode error = c.awaitEvent("pusher:error");
            String message = error.get("data").get("message").asText();
            assertThat(message).startsWith("Channel name too long").endsWith("x… (60000 characters)");
            assertThat(message.length()).isLessThan(300);
        }
    }

    @Test
    void aTriggerToAHugeChannelNameIs400WithAShortError() throws Exception {
        String body = "{\"name\":\"e\",\"channels\":[\"" + HUGE + "\"],\"data\":\"x\"}";
        ApiRequest signed = new SdkSigner("app-key", "app-secret")
                .post(System.currentTimeMillis() / 1000, "/apps/app-id/events", body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + signed.uri()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body())).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        String error = WireCodec.parse(r.body()).get("error").asText();
        assertThat(error).startsWith("Channel name too long").endsWith("x… (60000 characters)");
        assertThat(r.body().length()).isLessThan(300);
    }
}
