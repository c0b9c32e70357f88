package dev.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request signing against the worked examples of PROTOCOL.md §6.2. */
class RequestSignerTest {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1353088179), ZoneOffset.UTC);
    private final RequestSigner signer = new RequestSigner("278d425bdf160c739803", "7ad3773142a6692b25b8", CLOCK);

    @Test
    void documentedPostExample() {
        byte[] body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
                .getBytes(StandardCharsets.UTF_8);
        String query = signer.signedQuery("POST", "/apps/3/events", Map.of(), body);
        assertThat(query).isEqualTo("auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&body_md5=ec365a775a4cd0599faeb73354201b6f"
                + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
    }

    @Test
    void getExampleSortsParamsAndEncodesOnlyTheUrl() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("info", "user_count");
        params.put("filter_by_prefix", "presence-");
        String query = signer.signedQuery("GET", "/apps/3/channels", params, null);
        assertThat(query).isEqualTo("auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&filter_by_prefix=presence-&info=user_count"
                + "&auth_signature=16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291");
        assertThat(query).doesNotContain("body_md5");
    }

    @Test
    void valuesAreSignedRawButSentEncoded() {
        String query = signer.signedQuery("GET", "/apps/3/users", Map.of("cursor", "a b&c=d"), null);
        assertThat(query).contains("cursor=a%20b%26c%3Dd");
    }

    @Test
    void reservedParamsAreRefused() {
        assertThatThrownBy(() -> signer.signedQuery("GET", "/x", Map.of("auth_key", "k"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
