package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.testing.FuzzFrames;
import dev.switchboard.server.testing.FuzzTries;
import dev.switchboard.server.testing.LeakWatch;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of HTTP API request parsing and verification through {@link HttpApi#handle}
 * ({@link RequestTarget}, {@link RequestVerifier}, {@link TriggerParser}, the router and every endpoint): random
 * and mutated requests, unsigned and correctly signed. The answer always completes; nothing is a 5xx; every
 * refusal is a 4xx with {@code {"error":"…"}}; a connection subscribed elsewhere receives nothing it should not.
 */
class HttpApiFuzzTest {
    static final List<String> PATHS = List.of("/events", "/batch_events", "/channels", "/channels/{x}",
            "/channels/{x}/users", "/users", "/users/{x}", "/users/{x}/terminate_connections", "/{x}", "");
    static final List<String> PARAMS = List.of("auth_key", "auth_timestamp", "auth_version", "auth_signature",
            "body_md5", "info", "filter_by_prefix", "limit", "cursor", "socket_id", "channels[]", "AUTH_KEY");

    static ApiFixture f;
    static ApiFixture.Socket bystander;
    static final String BYSTANDER_CHANNEL = "bystander-" + UUID.randomUUID();
    static LeakWatch leaks;
    static final AtomicLong unsigned = new AtomicLong();
    static final AtomicLong signed = new AtomicLong();
    static final AtomicLong accepted = new AtomicLong();

    @BeforeContainer
    static void start() {
        leaks = LeakWatch.start();
        f = new ApiFixture();
        bystander = f.connect();
        bystander.subscribe(BYSTANDER_CHANNEL);
        f.drain();
    }

    @AfterContainer
    static void stop() {
        try {
            int before = bystander.frames.size();
            ApiFixture.Reply r = f.post("/events", "{\"name\":\"last\",\"channel\":\"" + BYSTANDER_CHANNEL + "\",\"data\":\"{}\"}");
            assertThat(r.status()).isEqualTo(200);
            f.drain();
            // Subscribed, then only the deliberate event: no fuzzed request reached it.
            assertThat(bystander.frames).hasSize(before + 1);
            assertThat(bystander.frames.get(before)).contains("\"event\":\"last\"");
            assertThat(bystander.closedWith).isNull();
        } finally {
            f.close();
            System.out.printf("HttpApiFuzzTest: %d unsigned and %d signed requests, %d answered 200%n",
                    unsigned.get(), signed.get(), accepted.get());
            leaks.assertNoLeaks();
            leaks.stop();
        }
        FuzzTries.assertRan("unsigned requests", unsigned.get());
        FuzzTries.assertRan("signed requests", signed.get());
    }

    @Property
    void unsignedAndMangledRequestsAreRefusedWithAJson4xx(@ForAll("unsignedRequests") ApiRequest request) {
        unsigned.incrementAndGet();
        ApiResponse r = answer(request);
        assertThat(r.status()).as("%s %s", request.method(), request.uri()).isBetween(400, 499);
        assertError(r);
    }

    /** What the signer is given; signing happens in the property, on the fixture's clock. */
    record Signed(String method, String path, Map<String, String> params, String body, boolean javaStyle) {}

    @Property
    void signedRequestsAreServedOrRefusedNeverAFault(@ForAll("signedRequests") Signed c) {
        signed.incrementAndGet();
        String full = "/apps/app-id" + c.path();
        ApiRequest request = f.signer.sign(c.javaStyle() ? SdkSigner.Style.JAVA : SdkSigner.Style.NODE, f.nowSeconds(),
                c.method(), full, full, c.params(), c.body().isEmpty() ? null : c.body());
        ApiResponse r = answer(request);
        assertThat(r.status()).as("%s", c).isIn(200, 400, 401, 403, 404, 405, 413);
        if (r.status() == 200) {
            accepted.incrementAndGet();
            assertThat(WireCodec.parse(new String(r.body(), StandardCharsets.UTF_8)).isObject()).isTrue();
        } else {
            assertError(r);
        }
    }

    static ApiResponse answer(ApiRequest request) {
        try {
            return f.api.handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("handle() did not complete normally for " + request.method() + " " + request.uri(), e);
        }
    }

    static void assertError(ApiResponse r) {
        JsonNode json = WireCodec.parse(new String(r.body(), StandardCharsets.UTF_8));
        assertThat(json.isObject()).isTrue();
        assertThat(json.path("error").isTextual()).as("error body %s", json).isTrue();
    }

    // ---------------------------------------------------------------- generators (by hand, see FuzzFrames)

    @Provide
    Arbitrary<ApiRequest> unsignedRequests() {
        return Arbitraries.randomValue(r -> new ApiRequest(method(r), uri(r), body(r)));
    }

    @Provide
    Arbitrary<Signed> signedRequests() {
        return Arbitraries.randomValue(r -> new Signed(method(r), path(r), params(r), jsonBody(r), r.nextBoolean()));
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    static String method(Random r) {
        int k = r.nextInt(10);
        return k < 8 ? pick(r, List.of("GET", "POST", "PUT", "DELETE")) : k < 9
                ? pick(r, List.of("PATCH", "HEAD", "OPTIONS", "get", "")) : FuzzFrames.randomString(r, 10);
    }

    static String segment(Random r) {
        switch (r.nextInt(3)) {
            case 0: return FuzzFrames.channelName(r);
            case 1: return FuzzFrames.randomString(r, 30);
            default: return pick(r, List.of("%", "%zz", "%2F", "%E2%82", "..", "", "a%00b", "%23server-to-user-1"));
        }
    }

    static String path(Random r) {
        return pick(r, PATHS).replace("{x}", segment(r));
    }

    static String value(Random r) {
        switch (r.nextInt(3)) {
            case 0: return FuzzFrames.randomString(r, 30);
            case 1: return Long.toString(r.nextLong() % 10_000_000_000L);
            default: return pick(r, List.of("1.0", "user_count", "subscription_count,user_count,cache", "presence-",
                    "%", "%zz", "+", "&", "=", "1.2", "-1", "100000000000"));
        }
    }

    static Map<String, String> params(Random r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int n = r.nextInt(5); n > 0; n--) {
            m.put(r.nextInt(4) > 0 ? pick(r, PARAMS) : FuzzFrames.randomString(r, 8), value(r));
        }
        return m;
    }

    static String uri(Random r) {
        int k = r.nextInt(10);
        if (k == 9) {
            return FuzzFrames.randomString(r, 60);
        }
        if (k == 8) {
            return "/apps/" + FuzzFrames.randomString(r, 60);
        }
        StringBuilder q = new StringBuilder();
        params(r).forEach((key, v) -> q.append(q.length() == 0 ? "" : "&").append(key).append('=').append(v));
        int shape = r.nextInt(4);
        String uri = "/apps/" + pick(r, List.of("app-id", "other", "", "app-id/")) + path(r)
                + (shape == 0 ? "" : shape == 1 ? "?" + q : "?" + q + "#x");
        return k < 6 ? uri : FuzzFrames.mutate(r, uri);
    }

    static String trigger(Random r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.nextInt(6) > 0) m.put("name", r.nextBoolean() ? "ev" : FuzzFrames.randomString(r, 30));
        List<String> channels = new java.util.ArrayList<>();
        for (int n = r.nextInt(5); n > 0; n--) {
            channels.add(r.nextBoolean() ? "ch" : FuzzFrames.channelName(r));
        }
        if (channels.size() == 1 && r.nextBoolean()) {
            m.put("channel", channels.get(0));
        } else if (r.nextInt(8) > 0) {
            m.put("channels", channels);
        }
        if (r.nextInt(8) > 0) m.put("data", r.nextBoolean() ? "{}" : FuzzFrames.randomString(r, 50));
        if (r.nextInt(3) == 0) m.put("socket_id", r.nextBoolean() ? "1.2" : value(r));
        if (r.nextInt(3) == 0) m.put("info", value(r));
        return WireCodec.write(m);
    }

    static String jsonBody(Random r) {
        String shaped;
        switch (r.nextInt(4)) {
            case 0: shaped = trigger(r); break;
            case 1: {
                StringBuilder b = new StringBuilder("{\"batch\":[");
                for (int n = r.nextInt(13); n > 0; n--) {
                    b.append(trigger(r)).append(n > 1 ? "," : "");
                }
                shaped = b.append("]}").toString();
                break;
            }
            case 2: shaped = WireCodec.write(Map.of("user_info", FuzzFrames.randomString(r, 40))); break;
            default: shaped = "";
        }
        int k = r.nextInt(10);
        return k < 6 ? shaped : k < 9 ? FuzzFrames.mutate(r, shaped) : FuzzFrames.randomString(r, 100);
    }

    static byte[] body(Random r) {
        switch (r.nextInt(3)) {
            case 0: return new byte[0];
            case 1: {
                byte[] b = new byte[r.nextInt(301)];
                r.nextBytes(b);
                return b;
            }
            default: return jsonBody(r).getBytes(StandardCharsets.UTF_8);
        }
    }
}
