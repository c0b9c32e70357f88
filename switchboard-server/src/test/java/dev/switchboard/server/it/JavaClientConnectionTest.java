package dev.switchboard.server.it;

import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connecting the official Java client (protocol 5) — PROTOCOL.md §1. */
class JavaClientConnectionTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    @Test
    void connectsAndReceivesASocketIdOfTwoDecimalIntegers() {
        JavaClient client = server.connectedClient();

        assertThat(client.socketId()).matches("^\\d+\\.\\d+$");
        assertThat(client.errors()).isEmpty();
    }

    @Test
    void everyConnectionGetsItsOwnSocketId() {
        JavaClient a = server.connectedClient();
        JavaClient b = server.connectedClient();

        assertThat(a.socketId()).isNotEqualTo(b.socketId());
    }

    @Test
    void unknownAppKeyIsRefusedAndTheClientDoesNotRetry() {
        JavaClient client = server.client("no-such-key", server.auth().channels(new PresenceUser("x")), null,
                UnaryOperator.identity()).connectNoWait();

        eventually().until(() -> client.states().contains(ConnectionState.DISCONNECTED));
        assertThat(client.states()).doesNotContain(ConnectionState.CONNECTED);
        // 4001 is in the 4000-4099 range: the Java client must not come back.
        throughoutQuietPeriod().until(() -> client.state() == ConnectionState.DISCONNECTED);
        assertThat(client.states()).doesNotContain(ConnectionState.RECONNECTING);
        // Protocol 5 needs the pusher:error before the close (PROTOCOL.md §1.4, legacy protocols).
        assertThat(client.errors()).anySatisfy(e -> assertThat(e.code()).isEqualTo("4001"));
    }

    @Test
    void answersTheJavaClientsDatalessPingSoItStaysConnected() {
        // The client pings after 1 s of silence with {"event": "pusher:ping"} (no data) and drops the socket
        // if nothing arrives within 1 s: a server that ignores the ping makes it reconnect.
        JavaClient client = server.client(APP_KEY_DEFAULT, null, null,
                o -> o.setActivityTimeout(1000).setPongTimeout(1000)).connect();
        String socketId = client.socketId();

        throughoutQuietPeriod().until(() -> client.state() == ConnectionState.CONNECTED);
        throughoutQuietPeriod().until(() -> client.state() == ConnectionState.CONNECTED);

        assertThat(client.states()).doesNotContain(ConnectionState.RECONNECTING, ConnectionState.DISCONNECTED);
        assertThat(client.socketId()).isEqualTo(socketId);
    }

    @Test
    void disconnectingByTheClientEndsCleanly() {
        JavaClient client = server.connectedClient();

        client.pusher().disconnect();

        eventually().until(() -> client.state() == ConnectionState.DISCONNECTED);
        assertThat(client.errors()).isEmpty();
    }

    private static final String APP_KEY_DEFAULT = SwitchboardExtension.APP_KEY;
}
