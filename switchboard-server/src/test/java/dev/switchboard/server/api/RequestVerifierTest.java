package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.protocol.Signatures;
import dev.switchboard.server.config.AppConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestVerifierTest {
    // PROTOCOL.md §6.2 worked example.
    static final String KEY = "278d425bdf160c739803";
    static final String SECRET = "7ad3773142a6692b25b8";
    static final long TS = 1353088179L;
    static final String BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";

    final AppConfig app = AppConfig.defaults("3", KEY, SECRET);
    final SdkSigner signer = new SdkSigner(KEY, SECRET);

    static RequestVerifier verifierAt(long epochSeconds) {
        return new RequestVerifier(600, Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
    }

    static ApiProblem problem(RequestVerifier v, AppConfig app, ApiRequest r) {
        return catchThrowableOfType(ApiProblem.class,
                () -> v.verify(app, r.method(), RequestTarget.parse(r.uri()), r.body()));
    }

    static void accept(RequestVerifier v, AppConfig app, ApiRequest r) {
        assertThatCode(() -> v.verify(app, r.method(), RequestTarget.parse(r.uri()), r.body()))
                .doesNotThrowAnyException();
    }

    @Test
    void workedPostExampleFromTheDocs() {
        assertThat(Signatures.md5Hex(BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo("ec365a775a4cd0599faeb73354201b6f");
        String uri = "/apps/3/events?auth_key=" + KEY + "&auth_timestamp=" + TS
                + "&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f"
                + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c";
        RequestTarget target = RequestTarget.parse(uri);
        assertThat(RequestVerifier.stringToSign("post", target.rawPath(), target.params())).isEqualTo(
                "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                        + "&body_md5=ec365a775a4cd0599faeb73354201b6f");
        accept(verifierAt(TS), app, new ApiRequest("POST", uri, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void workedGetVector() {
        String uri = "/apps/3/channels?filter_by_prefix=presence-&info=user_count&auth_key=" + KEY
                + "&auth_timestamp=" + TS + "&auth_version=1.0"
                + "&auth_signature=16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291";
        accept(verifierAt(TS), app, new ApiRequest("GET", uri, new byte[0]));
    }

    @Test
    void sdkSignerReproducesTheWorkedExample() {
        ApiRequest r = signer.post(TS, "/apps/3/events", BODY);
        assertThat(r.uri()).contains("auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
    }

    @Test
    void timestampWindowIsInclusiveOfTheSkew() {
        ApiRequest r = signer.get(TS, "/apps/3/channels", Map.of());
        accept(verifierAt(TS + 600), app, r);
        accept(verifierAt(TS - 600), app, r);
        ApiProblem late = problem(verifierAt(TS + 601), app, r);
        assertThat(late.status()).isEqualTo(401);
        assertThat(late.getMessage()).isEqualTo("Timestamp expired: Given timestamp (1353088179) not within 600s"
                + " of server time (1353088780)");
        assertThat(problem(verifierAt(TS - 601), app, r).status()).isEqualTo(401);
    }

    @Test
    void nonNumericTimestampIs401() {
        String uri = "/apps/3/channels?auth_key=" + KEY + "&auth_timestamp=soon&auth_version=1.0&auth_signature=x";
        assertThat(problem(verifierAt(TS), app, new ApiRequest("GET", uri, new byte[0])).status()).isEqualTo(401);
    }

    @Test
    void bodyMd5MustMatchTheBody() {
        ApiRequest r = signer.post(TS, "/apps/3/events", BODY);
        byte[] tampered = BODY.replace("foo", "bar").getBytes(StandardCharsets.UTF_8);
        ApiProblem p = problem(verifierAt(TS), app, new ApiRequest("POST", r.uri(), tampered));
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.getMessage()).contains("body_md5");
    }

    @Test
    void bodyWithoutBodyMd5Is401() {
        ApiRequest r = signer.get(TS, "/apps/3/events", Map.of());
        ApiProblem p = problem(verifierAt(TS), app, new ApiRequest("POST", r.uri(), "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.getMessage()).contains("body_md5");
    }

    @Test
    void wrongKeyIs401() {
        ApiRequest r = new SdkSigner("other-key", SECRET).get(TS, "/apps/3/channels", Map.of());
        ApiProblem p = problem(verifierAt(TS), app, r);
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.getMessage()).contains("auth_key");
    }

    @Test
    void wrongSecretIs401WithPusherTextAndNoSecret() {
        ApiRequest r = new SdkSigner(KEY, "not-the-secret").get(TS, "/apps/3/channels", Map.of("info", "user_count"));
        ApiProblem p = problem(verifierAt(TS), app, r);
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.getMessage())
                .startsWith("Invalid signature: you should have sent HmacSHA256Hex(\"GET\n/apps/3/channels\nauth_key="
                        + KEY + "&auth_timestamp=" + TS + "&auth_version=1.0&info=user_count\", your_secret_key),"
                        + " but you sent \"")
                .doesNotContain(SECRET);
    }

    @Test
    void signatureComparisonIsExact() {
        ApiRequest good = signer.get(TS, "/apps/3/channels", Map.of());
        String sig = RequestTarget.parse(good.uri()).param("auth_signature");
        for (String bad : List.of(sig.toUpperCase(), sig.substring(0, 63), sig + "0", "")) {
            String uri = good.uri().replace("auth_signature=" + sig, "auth_signature=" + bad);
            assertThat(problem(verifierAt(TS), app, new ApiRequest("GET", uri, new byte[0])).status())
                    .as(bad).isEqualTo(401);
        }
    }

    /**
     * A guard rather than a timing measurement (which would be flaky): every secret-derived value is compared
     * through {@link Signatures#matches} (MessageDigest.isEqual), never with equals.
     */
    @Test
    void secretDerivedValuesAreComparedInConstantTime() throws Exception {
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/main/java/dev/switchboard/server/api/RequestVerifier.java"));
        assertThat(source)
                .contains("Signatures.matches(Signatures.hmacSha256Hex(app.secret(), rawString), signature)")
                .contains("Signatures.matches(Signatures.hmacSha256Hex(app.secret(), decodedString), signature)")
                .contains("Signatures.matches(Signatures.md5Hex(body), md5)")
                .doesNotContainPattern("equals\\((signature|md5|key)\\)");
    }

    @Test
    void missingAuthParametersAre401() {
        assertThat(problem(verifierAt(TS), app, new ApiRequest("GET", "/apps/3/channels", new byte[0])).status())
                .isEqualTo(401);
    }

    @Test
    void unsupportedAuthVersionIs401() {
        ApiRequest r = signer.get(TS, "/apps/3/channels", Map.of());
        ApiRequest v2 = new ApiRequest("GET", r.uri().replace("auth_version=1.0", "auth_version=2.0"), new byte[0]);
        assertThat(problem(verifierAt(TS), app, v2).getMessage()).contains("auth_version");
    }

    @Test
    void unknownAppIs404AndDisabledAppIs403() {
        ApiRequest r = signer.get(TS, "/apps/3/channels", Map.of());
        assertThat(problem(verifierAt(TS), null, r).status()).isEqualTo(404);
        AppConfig disabled = dev.switchboard.server.testing.Apps.with(app, Map.of("enabled", false));
        assertThat(problem(verifierAt(TS), disabled, r).status()).isEqualTo(403);
        // A disabled app still refuses bad credentials with 401 first: nothing is revealed unauthenticated.
        ApiRequest bad = new SdkSigner(KEY, "nope").get(TS, "/apps/3/channels", Map.of());
        assertThat(problem(verifierAt(TS), disabled, bad).status()).isEqualTo(401);
    }

    @Test
    void javaSdkPercentEncodedValuesAreDecodedBeforeSigning() {
        Map<String, String> params = Map.of("info", "user_count,subscription_count", "filter_by_prefix", "presence-");
        ApiRequest r = signer.sign(SdkSigner.Style.JAVA, TS, "GET", "/apps/3/channels", "/apps/3/channels", params, null);
        assertThat(r.uri()).contains("info=user_count%2Csubscription_count");
        accept(verifierAt(TS), app, r);
        assertThat(RequestTarget.parse(r.uri()).param("info")).isEqualTo("user_count,subscription_count");
    }

    @Test
    void nodeRawValuesAreAccepted() {
        ApiRequest r = signer.get(TS, "/apps/3/channels", Map.of("info", "user_count,subscription_count"));
        assertThat(r.uri()).contains("info=user_count,subscription_count");
        accept(verifierAt(TS), app, r);
    }

    @Test
    void eitherTheRawOrTheDecodedPathMaySign() {
        String decoded = "/apps/3/users/jo smith@x/terminate_connections";
        String raw = "/apps/3/users/jo%20smith%40x/terminate_connections";
        // Node: signs the unencoded path, its HTTP client then encodes it.
        accept(verifierAt(TS), app, signer.sign(SdkSigner.Style.NODE, TS, "POST", decoded, raw, Map.of(), "{}"));
        // A client that signs exactly what it sends.
        accept(verifierAt(TS), app, signer.sign(SdkSigner.Style.NODE, TS, "POST", raw, raw, Map.of(), "{}"));
        // Neither: refused, and the text shows the raw path.
        ApiProblem p = problem(verifierAt(TS), app,
                signer.sign(SdkSigner.Style.NODE, TS, "POST", "/apps/3/users/other/terminate_connections", raw,
                        Map.of(), "{}"));
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.getMessage()).contains(raw);
    }

    @Test
    void repeatedKeysAreJoinedWithCommaForSigning() {
        String base = "/apps/3/channels";
        Map<String, String> joined = Map.of("channels[]", "a,b");
        ApiRequest signed = signer.get(TS, base, joined);
        String uri = signed.uri().replace("channels[]=a,b", "channels[]=a&channels[]=b");
        accept(verifierAt(TS), app, new ApiRequest("GET", uri, new byte[0]));
    }

    @Test
    void keysAreLowerCasedForSigning() {
        ApiRequest r = signer.get(TS, "/apps/3/channels", Map.of("filter_by_prefix", "presence-"));
        ApiRequest upper = new ApiRequest("GET", r.uri().replace("filter_by_prefix", "FILTER_BY_PREFIX"), new byte[0]);
        accept(verifierAt(TS), app, upper);
    }
}
