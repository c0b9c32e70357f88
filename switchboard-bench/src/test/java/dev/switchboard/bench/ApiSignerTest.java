package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiSignerTest {
    /** The worked example of PROTOCOL.md §6.2 (Pusher's own documentation). */
    @Test
    void signsTheDocumentedExample() {
        ApiSigner signer = new ApiSigner("278d425bdf160c739803", "7ad3773142a6692b25b8");
        byte[] body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
                .getBytes(StandardCharsets.UTF_8);
        String target = signer.target("POST", "/apps/3/events", body, 1353088179);
        assertThat(target).isEqualTo("/apps/3/events?auth_key=278d425bdf160c739803&auth_timestamp=1353088179"
                + "&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f"
                + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
    }
}
