package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.sdk.SwitchboardException;
import dev.switchboard.sdk.User;
import dev.switchboard.sdk.UserData;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's ban, lift and reconnect calls against the real server (issue 25 items 2 and 3). */
class SdkBansTest extends SdkServer {

    /** The sign-in answer the app's endpoint would give, sent; the server's reply frame. */
    private static JsonNode signInReply(RawSocket s, String answer) {
        JsonNode a = RawSocket.parse(answer);
        s.send(Map.of("event", "pusher:signin", "data", Map.of(
                "auth", a.get("auth").textValue(), "user_data", a.get("user_data").textValue())));
        return s.await(f -> "pusher:signin_success".equals(RawSocket.event(f))
                || "pusher:error".equals(RawSocket.event(f)));
    }

    @Test
    void terminateAndBanClosesTheUserRefusesItsSignInsAndLiftBanEndsIt() {
        RawSocket ann = signedIn(UserData.of("ann"));

        Instant until = client.terminateAndBan("ann", Duration.ofMinutes(10));

        assertThat(until).isAfter(Instant.now());
        assertThat(ann.awaitClose()).isEqualTo(4009);
        User held = client.getUser("ann").orElseThrow();
        assertThat(held.banned()).isTrue();
        assertThat(held.bannedUntilMs()).isEqualTo(until.toEpochMilli());
        assertThat(held.online()).isFalse();
        RawSocket again = socket();
        JsonNode refused = signInReply(again, client.authenticateUser(again.socketId, UserData.of("ann")));
        assertThat(RawSocket.event(refused)).isEqualTo("pusher:error");
        assertThat(RawSocket.data(refused).path("message").asText()).contains("banned");

        assertThat(client.liftBan("ann")).isTrue();
        assertThat(client.liftBan("ann")).isFalse();
        assertThat(client.getUser("ann")).isEmpty();
        RawSocket back = socket();
        JsonNode accepted = signInReply(back, client.authenticateUser(back.socketId, UserData.of("ann")));
        assertThat(RawSocket.event(accepted)).isEqualTo("pusher:signin_success");
    }

    @Test
    void aBanLongerThanTheServerAllowsIsRefused() {
        assertThatThrownBy(() -> client.terminateAndBan("ann", Duration.ofDays(2)))
                .isInstanceOf(SwitchboardException.class).hasMessageContaining("max_ban_seconds");
        assertThatThrownBy(() -> client.terminateAndBan("ann", Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.getUser("ann")).isEmpty();
    }

    @Test
    void reconnectClosesEveryConnectionOfTheUserWith4200AndNoOther() {
        RawSocket a = signedIn(UserData.of("ann"));
        RawSocket b = signedIn(UserData.of("ann"));
        RawSocket bob = signedIn(UserData.of("bob"));

        assertThat(client.reconnectUser("ann").status()).isEqualTo(200);

        assertThat(a.awaitClose()).isEqualTo(4200);
        assertThat(b.awaitClose()).isEqualTo(4200);
        client.sendToUser("bob", "still-here", "x");
        bob.awaitEvent("#server-to-user-bob", "still-here");
    }
}
