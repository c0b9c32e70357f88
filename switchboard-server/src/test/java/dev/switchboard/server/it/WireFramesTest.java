package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.SignatureUtil;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exact frames and close codes the official clients depend on but do not expose (PROTOCOL.md §0, §1.2, §1.4,
 * §2.4, §5.11), checked on a bare WebSocket.
 */
class WireFramesTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    private static String sign(String toSign) {
        return SwitchboardExtension.APP_KEY + ":" + SignatureUtil.sign(toSign, SwitchboardExtension.APP_SECRET);
    }

    @Test
    void firstFrameIsConnectionEstablishedWithADoubleEncodedSocketIdAndActivityTimeout() {
        RawSocket socket = server.rawSocket();

        JsonNode first = socket.awaitEvent("pusher:connection_established");

        assertThat(Json.parse(socket.frames().get(0))).isEqualTo(first);
        assertThat(first.get("data").isTextual()).isTrue();
        JsonNode data = Json.parse(first.get("data").textValue());
        assertThat(data.get("socket_id").textValue()).matches("^\\d+\\.\\d+$");
        assertThat(data.get("activity_timeout").intValue()).isEqualTo(120);
    }

    @Test
    void pingIsAnsweredWithPong() {
        RawSocket socket = server.rawSocket();
        socket.socketId();

        socket.send("{\"event\":\"pusher:ping\",\"data\":{}}");

        assertThat(socket.awaitEvent("pusher:pong").has("data")).isTrue();
    }

    @Test
    void badSubscriptionSignatureGetsPusherErrorWithCodeNullAndNoSecret() {
        RawSocket socket = server.rawSocket();
        socket.socketId();
        String channel = uniqueChannel("private-raw");

        socket.send(Json.write(Map.of("event", "pusher:subscribe",
                "data", Map.of("channel", channel, "auth", SwitchboardExtension.APP_KEY + ":" + "ab".repeat(32)))));

        JsonNode error = socket.awaitEvent("pusher:error");
        assertThat(error.get("data").isObject()).isTrue();
        assertThat(error.get("data").get("code").isNull()).isTrue();
        assertThat(error.get("data").get("message").textValue()).doesNotContain(SwitchboardExtension.APP_SECRET);
        assertThat(socket.closeCode()).isNull();
    }

    @Test
    void presenceMemberWithoutUserInfoIsInTheHashWithNull() {
        RawSocket socket = server.rawSocket();
        String socketId = socket.socketId();
        String channel = uniqueChannel("presence-raw");
        String channelData = "{\"user_id\":\"5\"}";

        socket.send(Json.write(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel,
                "auth", sign(socketId + ":" + channel + ":" + channelData), "channel_data", channelData))));

        JsonNode succeeded = socket.awaitEvent("pusher_internal:subscription_succeeded");
        assertThat(succeeded.get("channel").textValue()).isEqualTo(channel);
        JsonNode presence = Json.parse(succeeded.get("data").textValue()).get("presence");
        assertThat(presence.get("ids").toString()).isEqualTo("[\"5\"]");
        assertThat(presence.get("hash").has("5")).isTrue();
        assertThat(presence.get("hash").get("5").isNull()).isTrue();
        assertThat(presence.get("count").intValue()).isEqualTo(1);
    }

    @Test
    void signinSuccessEchoesUserDataAsAString() {
        RawSocket socket = server.rawSocket();
        String socketId = socket.socketId();
        String userData = "{\"id\":\"" + uniqueChannel("raw-user") + "\",\"user_info\":{\"name\":\"Zoë\"}}";

        socket.send(Json.write(Map.of("event", "pusher:signin",
                "data", Map.of("auth", sign(socketId + "::user::" + userData), "user_data", userData))));

        JsonNode success = socket.awaitEvent("pusher:signin_success");
        assertThat(success.get("data").get("user_data").textValue()).isEqualTo(userData);
    }

    @Test
    void terminateSendsError4009ThenClosesWith4009() {
        RawSocket socket = server.rawSocket();
        String socketId = socket.socketId();
        String user = uniqueChannel("raw-terminated");
        String userData = "{\"id\":\"" + user + "\"}";
        socket.send(Json.write(Map.of("event", "pusher:signin",
                "data", Map.of("auth", sign(socketId + "::user::" + userData), "user_data", userData))));
        socket.awaitEvent("pusher:signin_success");

        server.http().post("/users/" + user + "/terminate_connections", "{}");

        assertThat(socket.awaitCloseCode()).isEqualTo(4009);
        assertThat(socket.events("pusher:error")).singleElement()
                .satisfies(e -> assertThat(e.get("data").get("code").intValue()).isEqualTo(4009));
    }

    @Test
    void unknownAppKeyIsClosedWith4001AfterTheUpgrade() {
        RawSocket socket = RawSocket.open(server.port(), "no-such-key");
        try {
            assertThat(socket.awaitCloseCode()).isEqualTo(4001);
            assertThat(socket.events("pusher:error")).singleElement()
                    .satisfies(e -> assertThat(e.get("data").get("code").intValue()).isEqualTo(4001));
        } finally {
            socket.close();
        }
    }
}
