package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.cluster.LocalBroker;
import dev.switchboard.server.cluster.LocalState;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineEvent;
import dev.switchboard.server.webhooks.WebhookDispatcher;
import org.junit.jupiter.api.Test;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.server.config.WebhookConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import static org.awaitility.Awaitility.await;

class MetricsTest {

    @Test
    void countsPerAppAndExposesPrometheusText() {
        Metrics metrics = new Metrics();
        Engine engine = new Engine(ServerConfig.defaults(), AppRegistry.of(ServerConfig.defaults().apps()), new LocalBroker(),
                new LocalState(System::currentTimeMillis), metrics, System::currentTimeMillis).start();
        metrics.bind(engine);
        AppConfig app = engine.appById("app-id").config();
        metrics.on(new EngineEvent.ConnectionOpened(app));
        metrics.on(new EngineEvent.MessageIn(app, 10));
        metrics.on(new EngineEvent.MessageIn(app, 5));
        metrics.delivered(app, 100, 50);
        metrics.on(new EngineEvent.Subscribed(app, "a"));
        metrics.on(new EngineEvent.Subscribed(app, "b"));
        metrics.on(new EngineEvent.Unsubscribed(app, "a"));
        metrics.on(new EngineEvent.SignedIn(app, "u"));
        metrics.on(new EngineEvent.SlowConsumerClosed(app));
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

    @Test
    void webhookFailuresAreExportedPerApp() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            // Refused twice, then accepted.
            exchange.sendResponseHeaders(posts.getAndIncrement() < 2 ? 403 : 200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            AppConfig hooked = AppConfig.defaults("hooked", "hooked-key", "s1")
                    .withWebhooks(List.of(new WebhookConfig(url, List.of(), null, Map.of())));
            AppConfig quiet = AppConfig.defaults("quiet", "quiet-key", "s2");
            ServerConfig config = ServerConfig.defaults().withApps(List.of(hooked, quiet))
                    .with("webhook_batch_millis", 0);
            Metrics metrics = new Metrics();
            WebhookDispatcher webhooks = new WebhookDispatcher(config).start();
            metrics.bind(webhooks.stats(), config.apps());
            webhooks.channelOccupied(hooked, "c");
            // The default back-off is 0.5 to 1 s, then 1 to 2 s.
            await().atMost(Duration.ofSeconds(15)).until(() -> webhooks.stats().batchesSent() == 1);
            String text = metrics.scrape();
            assertThat(text)
                    .contains("switchboard_webhook_app_failed_attempts_total{app=\"hooked\",reason=\"http_4xx\"} 2.0")
                    .contains("switchboard_webhook_app_failed_attempts_total{app=\"hooked\",reason=\"http_5xx\"} 0.0")
                    .contains("switchboard_webhook_app_batches_sent_total{app=\"hooked\"} 1.0")
                    .contains("switchboard_webhook_app_batches_dropped_total{app=\"hooked\"} 0.0")
                    .contains("switchboard_webhook_failed_attempts_total 2.0")
                    .doesNotContain("app=\"quiet\"");
            webhooks.close();
        } finally {
            receiver.stop(0);
        }
    }
}
