package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameScanTest {
    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void findsTheTimestampInDoubleEncodedData() {
        ByteBuf b = buf("{\"event\":\"bench\",\"channel\":\"c\",\"data\":\"{\\\"bt\\\":1712345678901234,\\\"seq\\\":7,\\\"st\\\":2}\"}");
        int at = FrameScan.indexOf(b, FrameScan.BT, 0);
        assertThat(at).isPositive();
        assertThat(FrameScan.numberAfterKey(b, at, FrameScan.BT.length)).isEqualTo(1712345678901234L);
        assertThat(FrameScan.number(b, FrameScan.SEQ, at)).isEqualTo(7);
        assertThat(FrameScan.number(b, FrameScan.ST, at)).isEqualTo(2);
    }

    @Test
    void findsTheTimestampWhenAServerSendsDataAsAnObject() {
        ByteBuf b = buf("{\"channel\":\"c\",\"data\":{\"bt\": 99,\"seq\":1,\"st\":0},\"event\":\"bench\"}");
        int at = FrameScan.indexOf(b, FrameScan.BT, 0);
        assertThat(FrameScan.numberAfterKey(b, at, FrameScan.BT.length)).isEqualTo(99);
        assertThat(FrameScan.number(b, FrameScan.ST, at)).isZero();
    }

    @Test
    void controlFramesHaveNoTimestamp() {
        ByteBuf b = buf("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\",\\\"activity_timeout\\\":120}\"}");
        assertThat(FrameScan.indexOf(b, FrameScan.BT, 0)).isEqualTo(-1);
        assertThat(FrameScan.contains(buf("{\"event\":\"pusher_internal:member_added\"}"), FrameScan.MEMBER_ADDED)).isTrue();
    }

    @Test
    void malformedNumbersAreRejected() {
        ByteBuf b = buf("{\"bt\":\"x\"}");
        assertThat(FrameScan.numberAfterKey(b, FrameScan.indexOf(b, FrameScan.BT, 0), FrameScan.BT.length)).isEqualTo(-1);
    }
}
