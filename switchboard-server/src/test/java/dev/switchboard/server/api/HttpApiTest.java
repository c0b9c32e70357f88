package dev.switchboard.server.api;

import static dev.switchboard.server.api.ApiFixture.j;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.api.ApiFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The boundary: routing, authentication through the full handler, and that nothing escapes as an exception. */
class HttpApiTest {
    ApiFixture f = new ApiFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() {
        assertThat(f.get("/nothing").status()).isEqualTo(404);
        assertThat(f.send(new ApiRequest("GET", "/", new byte[0])).status()).isEqualTo(404);
        assertThat(f.send(new ApiRequest("GET", "/apps", new byte[0])).status()).isEqualTo(404);
        Reply r = f.get("/events");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json().get("error").asText()).contains("POST");
        assertThat(f.request("PATCH", "/users/1", "{}").status()).isEqualTo(405);
    }

    @Test
    void unknownAppIs404() {
        Reply r = f.send(f.signer.get(f.nowSeconds(), "/apps/other/channels", Map.of()));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("Unknown app");
    }

    @Test
    void unsignedOrBadlySignedIs401() {
        assertThat(f.send(new ApiRequest("GET", "/apps/app-id/channels", new byte[0])).status()).isEqualTo(401);
        Reply r = f.send(new SdkSigner(f.app.key(), "wrong").get(f.nowSeconds(), "/apps/app-id/channels", Map.of()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).startsWith("Invalid signature: you should have sent HmacSHA256Hex(");
        assertThat(r.text()).doesNotContain(f.app.secret());
        Reply old = f.send(f.signer.get(f.nowSeconds() - f.config.timestampSkewSeconds() - 1, "/apps/app-id/channels",
                Map.of()));
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.json().get("error").asText()).startsWith("Timestamp expired");
    }

    @Test
    void tamperedBodyIs401() {
        ApiRequest signed = f.signer.post(f.nowSeconds(), "/apps/app-id/events", j("{'name':'e','channels':['c'],'data':'x'}"));
        ApiRequest tampered = new ApiRequest("POST", signed.uri(),
                j("{'name':'e','channels':['d'],'data':'x'}").getBytes(StandardCharsets.UTF_8));
        assertThat(f.send(tampered).status()).isEqualTo(401);
    }

    @Test
    void disabledAppIs403() {
        try (ApiFixture disabled = new ApiFixture(Map.of("enabled", false))) {
            assertThat(disabled.get("/channels").status()).isEqualTo(403);
        }
    }

    @Test
    void bodyOverTheServerLimitIs413() {
        byte[] huge = new byte[f.config.maxHttpBodyBytes() + 1];
        assertThat(f.send(new ApiRequest("POST", "/apps/app-id/events", huge)).status()).isEqualTo(413);
    }

    @Test
    void garbageNeverThrows() {
        String[] uris = {null, "", "apps/1", "/apps/%", "/apps/app-id/channels?%zz=1", "http://", "/apps//channels",
                "/apps/app-id/channels/%FF%FE"};
        for (String uri : uris) {
            ApiResponse r = f.api.handle(new ApiRequest("GET", uri, null)).toCompletableFuture().join();
            assertThat(r.status()).as(String.valueOf(uri)).isBetween(400, 499);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{\"error\":");
        }
        assertThat(f.api.handle(new ApiRequest(null, null, null)).toCompletableFuture().join().status()).isBetween(400, 499);
        assertThat(f.api.handle(null).toCompletableFuture().join().status()).isEqualTo(500);
    }

    @Test
    void successIsExactly200WithJson() {
        Reply r = f.get("/channels");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(j("{'channels':{}}"));
    }
}
