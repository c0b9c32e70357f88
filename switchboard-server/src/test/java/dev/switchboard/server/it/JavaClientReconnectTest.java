package dev.switchboard.server.it;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.rest.data.Result;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.ServerUnderTest;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A graceful restart (PROTOCOL.md §1.5: close 4200) brings the Java client straight back, with a new socket id
 * and its subscriptions renewed. Uses its own nodes, so it does not share the extension's.
 */
class JavaClientReconnectTest {
    private ServerUnderTest first;
    private ServerUnderTest second;
    private Pusher client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.disconnect();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void gracefulShutdownMakesTheClientReconnectAndResubscribeToTheNextNode() throws Exception {
        first = ServerUnderTest.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0));
        int port = first.port();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        client = new Pusher(SwitchboardExtension.APP_KEY, new PusherOptions()
                .setHost("127.0.0.1").setWsPort(port).setUseTLS(false).setMaxReconnectGapInSeconds(1));
        client.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
                states.add(change.getCurrentState());
            }

            @Override
            public void onError(String message, String code, Exception e) {}
        }, ConnectionState.ALL);
        EventLog log = new EventLog();
        client.subscribe("restart-news", log, "story");
        eventually().until(log::subscribed);
        String firstSocketId = client.getConnection().getSocketId();

        first.close();
        first = null;

        // 4200 is "reconnect immediately": the client must be retrying, not given up.
        eventually().until(() -> states.contains(ConnectionState.RECONNECTING));
        assertThat(states).doesNotContain(ConnectionState.DISCONNECTED);

        second = ServerUnderTest.start(ServerConfig.defaults().withPort(port).with("metrics_port", 0));
        eventually().until(() -> client.getConnection().getState() == ConnectionState.CONNECTED);
        assertThat(client.getConnection().getSocketId()).isNotEqualTo(firstSocketId);
        try (com.pusher.rest.Pusher http = new com.pusher.rest.Pusher(SwitchboardExtension.APP_ID,
                SwitchboardExtension.APP_KEY, SwitchboardExtension.APP_SECRET)) {
            http.setHost("127.0.0.1:" + port);
            http.setEncrypted(false);
            eventually().until(() -> Json.body(http.get("/channels/restart-news")).get("occupied").booleanValue());
            Result result = http.trigger("restart-news", "story", Map.of("n", 2));
            assertThat(result.getStatus()).isEqualTo(Result.Status.SUCCESS);
        }
        log.awaitEvent("story");
    }
}
