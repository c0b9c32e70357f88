package dev.switchboard.server.webhooks;

import static dev.switchboard.server.webhooks.Knobs.app;
import static dev.switchboard.server.webhooks.Knobs.hook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Validity;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.RawSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real node on port 0, a raw WebSocket client, a real HTTP receiver: subscribing produces a signed
 * channel_occupied; shutting down sends the held channel_vacated. The node makes its own dispatcher from the
 * app's webhook config, as {@code bin/switchboard} does.
 */
class WebhooksEndToEndTest {

    @Test
    void aRawWebSocketSubscriptionProducesASignedChannelOccupied() throws Exception {
        try (Receiver receiver = new Receiver()) {
            AppConfig app = app(hook(receiver.url()));
            ServerConfig config = ServerConfig.defaults().withPort(0).with("metrics_port", 0).withApps(List.of(app));
            try (Switchboard node = Switchboard.start(config)) {
                RawSocket ws = RawSocket.connect(node.port(), "/app/" + app.key() + "?protocol=7&client=js&version=8.6.0");
                await().atMost(Duration.ofSeconds(10)).until(() -> ws.first() != null);
                assertThat(ws.first()).contains("pusher:connection_established");

                ws.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"e2e-channel\"}}");

                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.eventTexts().contains(
                        "{\"name\":\"channel_occupied\",\"channel\":\"e2e-channel\"}"));
                assertThat(receiver.requests()).hasSize(1); // one dispatcher, one POST
                Receiver.Request req = receiver.requests().get(0);
                assertThat(req.headers().get("Content-Type")).containsExactly("application/json");
                assertThat(new Pusher(app.id(), app.key(), app.secret()).validateWebhookSignature(
                        req.headers().getFirst("X-Pusher-Key"), req.headers().getFirst("X-Pusher-Signature"),
                        req.bodyText())).isEqualTo(Validity.VALID);

                // shutdown: the node closes the socket, the dispatcher sends the held vacated at once
                node.close();
                assertThat(receiver.eventTexts()).contains("{\"name\":\"channel_vacated\",\"channel\":\"e2e-channel\"}");
                ws.close();
            }
        }
    }
}
