package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.CloseCode;
import org.junit.jupiter.api.Test;

class WebSocketTargetTest {

    @Test
    void pusherJsUrl() {
        WebSocketTarget t = WebSocketTarget.parse("/app/app-key?protocol=7&client=js&version=8.6.0&flash=false");
        assertThat(t.refused()).isFalse();
        assertThat(t.appKey()).isEqualTo("app-key");
        assertThat(t.protocol()).isEqualTo(7);
    }

    @Test
    void wsPathPrefixAndPercentEncodedKey() {
        WebSocketTarget t = WebSocketTarget.parse("/ws/v1/app/my%20key?protocol=5");
        assertThat(t.appKey()).isEqualTo("my key");
        assertThat(t.protocol()).isEqualTo(5);
    }

    /** pusher-js in Node writes a non-ASCII key as raw UTF-8, a browser escapes it: one key either way. */
    @Test
    void aNonAsciiKeyIsReadAsUtf8RawOrEscapedAndOtherBytesAreRefused() {
        String raw = new String("/app/ключ?protocol=7".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(WebSocketTarget.parse(raw).appKey()).isEqualTo("ключ");
        assertThat(WebSocketTarget.parse("/app/%D0%BA%D0%BB%D1%8E%D1%87?protocol=7").appKey()).isEqualTo("ключ");
        WebSocketTarget latin1 = WebSocketTarget.parse("/app/cl\u00e9?protocol=7");
        assertThat(latin1.refusal()).isEqualTo(CloseCode.APP_NOT_FOUND);
        assertThat(latin1.reason()).contains("not valid UTF-8");
        // An escaped slash stays inside the key (which no app may hold) rather than making another path.
        assertThat(WebSocketTarget.parse("/app/a%2Fb?protocol=7").appKey()).isEqualTo("a/b");
    }

    @Test
    void refusals() {
        assertThat(WebSocketTarget.parse("/").refusal()).isEqualTo(CloseCode.PATH_NOT_FOUND);
        assertThat(WebSocketTarget.parse("/apps/x?protocol=7").refusal()).isEqualTo(CloseCode.PATH_NOT_FOUND);
        assertThat(WebSocketTarget.parse("/app/x/y?protocol=7").refusal()).isEqualTo(CloseCode.PATH_NOT_FOUND);
        assertThat(WebSocketTarget.parse("/app/x").refusal()).isEqualTo(CloseCode.NO_PROTOCOL);
        assertThat(WebSocketTarget.parse("/app/x?client=js").refused()).isFalse();
        assertThat(WebSocketTarget.parse("/app/x?protocol=").refusal()).isEqualTo(CloseCode.UNSUPPORTED_PROTOCOL);
        assertThat(WebSocketTarget.parse("/app/x?protocol=3").refusal()).isEqualTo(CloseCode.UNSUPPORTED_PROTOCOL);
        assertThat(WebSocketTarget.parse("/app/x?protocol=7&version=1.2.x").refusal()).isEqualTo(CloseCode.INVALID_VERSION);
        assertThat(WebSocketTarget.parse("/app/?protocol=7").refusal()).isEqualTo(CloseCode.PATH_NOT_FOUND);
        assertThat(WebSocketTarget.parse("ws/app/x?protocol=7").refusal()).isEqualTo(CloseCode.PATH_NOT_FOUND);
        // A prefix is a '/' and anything but a line break (the regular expression's '.' this check replaced).
        assertThat(WebSocketTarget.parse("/a\u0085b/app/x?protocol=7").refusal()).isEqualTo(CloseCode.PATH_NOT_FOUND);
        for (String v : new String[] {"1.", "1..2", ".1", "v1", "1.2_3", "-1"}) {
            assertThat(WebSocketTarget.parse("/app/x?protocol=7&version=" + v).refusal()).as(v)
                    .isEqualTo(CloseCode.INVALID_VERSION);
        }
    }

    @Test
    void versionsThatAreFine() {
        for (String v : new String[] {"8.6.0", "2.4.4", "10", "8.6.0-beta.1", "2.4.4-SNAPSHOT", "1.0%2Bbuild.5", "",
                "1-", "1.2--.X"}) {
            assertThat(WebSocketTarget.parse("/app/x?protocol=7&version=" + v).refused()).as(v).isFalse();
        }
    }

    @Test
    void closeReasonIsCutTo123Bytes() {
        assertThat(NettyPeer.truncate("é".repeat(100)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(123);
        assertThat(NettyPeer.truncate("short")).isEqualTo("short");
    }
}
