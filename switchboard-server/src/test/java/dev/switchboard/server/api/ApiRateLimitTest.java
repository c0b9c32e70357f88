package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.WireCodec;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code max_api_requests_per_second} through the full handler, on the fixture's clock. */
class ApiRateLimitTest {
    ApiFixture f = new ApiFixture(Map.of("maxApiRequestsPerSecond", 3));

    @AfterEach
    void close() {
        f.close();
    }

    ApiResponse channels() {
        return f.api.handle(f.signer.get(f.nowSeconds(), "/apps/app-id/channels", Map.of())).toCompletableFuture().join();
    }

    @Test
    void aBurstOfTheRateIsServedAndTheNextRequestIs429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertThat(channels().status()).isEqualTo(200);
        }
        ApiResponse refused = channels();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(WireCodec.parse(new String(refused.body())).get("error").asText())
                .isEqualTo("Too many requests for app app-id (limit 3 per second)");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        assertThat(f.api.rateLimits().refusals("app-id")).isEqualTo(1);

        // One token comes back every third of a second.
        f.millis.addAndGet(340);
        assertThat(channels().status()).isEqualTo(200);
        assertThat(channels().status()).isEqualTo(429);
        assertThat(f.api.rateLimits().refusals("app-id")).isEqualTo(2);
    }

    @Test
    void requestsThatFailVerificationDoNotSpendTheAppsBudget() {
        for (int i = 0; i < 10; i++) {
            ApiResponse r = f.api.handle(new SdkSigner(f.app.key(), "wrong").get(f.nowSeconds(),
                    "/apps/app-id/channels", Map.of())).toCompletableFuture().join();
            assertThat(r.status()).isEqualTo(401);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(channels().status()).isEqualTo(200);
        }
        assertThat(f.api.rateLimits().refusals("app-id")).isZero();
    }

    @Test
    void noLimitByDefault() {
        ApiFixture unlimited = new ApiFixture();
        try {
            for (int i = 0; i < 200; i++) {
                assertThat(unlimited.get("/channels").status()).isEqualTo(200);
            }
        } finally {
            unlimited.close();
        }
    }
}
