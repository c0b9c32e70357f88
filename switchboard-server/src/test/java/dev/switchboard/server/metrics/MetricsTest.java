package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.cluster.LocalBroker;
import dev.switchboard.server.cluster.LocalState;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.webhooks.WebhookDispatcher;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void countsPerAppAndExposesPrometheusText() {
        Metrics metrics = new Metrics();
        Engine engine = new Engine(ServerConfig.defaults(), new LocalBroker(), new LocalState(System::currentTimeMillis), metrics, System::currentTimeMillis);
        metrics.bind(engine);
        AppConfig app = engine.appById("app-id").config();
        metrics.connectionOpened(app);
        metrics.messageIn(app, 10);
        metrics.messageIn(app, 5);
        metrics.delivered(app, 100, 50);
        metrics.subscribed(app, "a");
        metrics.subscribed(app, "b");
        metrics.unsubscribed(app, "a");
        metrics.signedIn(app, "u");
        metrics.slowConsumerClosed(app);
        metrics.httpResponse("app-id", 200);
        metrics.httpResponse("app-id", 401);
        metrics.httpResponse("app-id", 401);

        String text = metrics.scrape();
        assertThat(text).contains("switchboard_connections{app=\"app-id\"} 0.0")
                .contains("switchboard_messages_in_total{app=\"app-id\"} 2.0")
                .contains("switchboard_bytes_in_total{app=\"app-id\"} 15.0")
                .contains("switchboard_deliveries_total{app=\"app-id\"} 100.0")
                .contains("switchboard_bytes_out_total{app=\"app-id\"} 5000.0")
                .contains("switchboard_subscriptions{app=\"app-id\"} 1.0")
                .contains("switchboard_signins_total{app=\"app-id\"} 1.0")
                .contains("switchboard_slow_consumers_closed_total{app=\"app-id\"} 1.0")
                .contains("switchboard_http_requests_total{app=\"app-id\",status=\"401\"} 2.0");
    }

    @Test
    void exportsTheWebhookCounters() {
        Metrics metrics = new Metrics();
        WebhookDispatcher webhooks = new WebhookDispatcher(ServerConfig.defaults());
        metrics.bind(webhooks.stats());
        assertThat(metrics.scrape()).contains("switchboard_webhook_batches_sent_total 0.0")
                .contains("switchboard_webhook_events_dropped_total 0.0")
                .contains("switchboard_webhook_queued_batches 0.0");
        webhooks.close();
    }
}
