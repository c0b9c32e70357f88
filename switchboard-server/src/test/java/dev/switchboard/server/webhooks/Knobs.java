package dev.switchboard.server.webhooks;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.WebhookConfig;
import java.util.List;
import java.util.Map;

/** Test settings: short times by default, each test changes what it is about. */
final class Knobs {
    int batchMillis = 50;
    int batchMaxEvents = 20;
    int leaveDelayMillis = 0;
    int timeoutMillis = 2_000;
    int queueSize = 100;
    int retrySeconds = 30;
    long cacheMissWindowMillis = 5_000;
    long retryBaseMillis = 50;
    long retryMaxMillis = 200;
    int maxInFlight = 4;
    long closeGraceMillis = 2_000;
    int inboxLimit = 100_000;

    WebhookSettings settings() {
        return new WebhookSettings(batchMillis, batchMaxEvents, leaveDelayMillis, timeoutMillis, queueSize,
                retrySeconds, cacheMissWindowMillis, retryBaseMillis, retryMaxMillis, maxInFlight, closeGraceMillis,
                inboxLimit);
    }

    static final String KEY = "278d425bdf160c739803";
    static final String SECRET = "7ad3773142a6692b25b8";

    static AppConfig app(WebhookConfig... hooks) {
        return AppConfig.defaults("1", KEY, SECRET).withWebhooks(List.of(hooks));
    }

    static WebhookConfig hook(String url) {
        return new WebhookConfig(url, List.of(), null, Map.of());
    }
}
