package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one table of codes (PROTOCOL.md §1.5). */
class CloseCodeTest {

    @Test
    void everyCodeIsUnique() {
        assertThat(Arrays.stream(CloseCode.values()).map(CloseCode::code)).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(CloseCode.class)
    void codesAbove4300CannotCloseASocketAndAllOthersCan(CloseCode code) {
        // pusher-js treats an unknown 43xx close code as fatal, so those travel only in pusher:error.
        assertThat(code.canClose()).isEqualTo(code.code() < 4300);
    }

    @ParameterizedTest
    @EnumSource(CloseCode.class)
    void reconnectBehaviourFollowsTheDocumentedRanges(CloseCode code) {
        CloseCode.Reconnect expected;
        if (code.code() < 4100) {
            expected = CloseCode.Reconnect.NEVER;
        } else if (code.code() < 4200) {
            expected = CloseCode.Reconnect.BACKOFF;
        } else if (code.code() < 4300) {
            expected = CloseCode.Reconnect.IMMEDIATELY;
        } else {
            expected = CloseCode.Reconnect.ERROR_ONLY;
        }
        assertThat(code.reconnect()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(CloseCode.class)
    void everyCodeIsAPusherCodeWithAShortReason(CloseCode code) {
        assertThat(code.code()).isBetween(4000, 4399);
        assertThat(code.text()).isNotBlank();
        // A close frame reason may hold at most 123 bytes.
        assertThat(code.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    }

    @Test
    void theCodesTheClientsKnowHaveTheirDocumentedNumbers() {
        assertThat(CloseCode.APP_NOT_FOUND.code()).isEqualTo(4001);
        assertThat(CloseCode.APP_DISABLED.code()).isEqualTo(4003);
        assertThat(CloseCode.OVER_CONNECTION_QUOTA.code()).isEqualTo(4004);
        assertThat(CloseCode.PATH_NOT_FOUND.code()).isEqualTo(4005);
        assertThat(CloseCode.INVALID_VERSION.code()).isEqualTo(4006);
        assertThat(CloseCode.UNSUPPORTED_PROTOCOL.code()).isEqualTo(4007);
        assertThat(CloseCode.NO_PROTOCOL.code()).isEqualTo(4008);
        assertThat(CloseCode.UNAUTHORIZED.code()).isEqualTo(4009);
        assertThat(CloseCode.RECONNECT.code()).isEqualTo(4200);
        assertThat(CloseCode.PONG_NOT_RECEIVED.code()).isEqualTo(4201);
        assertThat(CloseCode.CLIENT_EVENT_REJECTED.code()).isEqualTo(4301);
        assertThat(CloseCode.WATCHLIST_LIMIT.code()).isEqualTo(4302);
        assertThat(CloseCode.CLIENT_EVENT_REJECTED.canClose()).isFalse();
        assertThat(CloseCode.WATCHLIST_LIMIT.canClose()).isFalse();
    }
}
