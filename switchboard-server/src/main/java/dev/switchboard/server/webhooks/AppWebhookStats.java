package dev.switchboard.server.webhooks;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One app's webhook delivery, for {@code /metrics}: so that an operator sees which app's endpoint is failing and
 * how (its 4xx, its 5xx, its timeouts), not only that some webhook somewhere is. Thread-safe.
 */
public final class AppWebhookStats {

    /** Why an attempt failed; the label of {@code switchboard_webhook_app_failed_attempts}. */
    public enum Failure {
        HTTP_4XX, HTTP_5XX, HTTP_OTHER, TIMEOUT, CONNECTION, ERROR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Failure ofStatus(int status) {
            return status >= 400 && status < 500 ? HTTP_4XX : status >= 500 && status < 600 ? HTTP_5XX : HTTP_OTHER;
        }
    }

    final AtomicLong batchesSent = new AtomicLong();
    final AtomicLong batchesDropped = new AtomicLong();
    private final Map<Failure, AtomicLong> failed = new EnumMap<>(Failure.class);

    AppWebhookStats() {
        for (Failure f : Failure.values()) {
            failed.put(f, new AtomicLong());
        }
    }

    void failed(Failure f) {
        failed.get(f).incrementAndGet();
    }

    /** POSTs of this app answered 2xx. */
    public long batchesSent() { return batchesSent.get(); }

    /** Batches of this app given up: retries over, queue full, unusable request, or shutdown. */
    public long batchesDropped() { return batchesDropped.get(); }

    /** Failed attempts of this app for this reason; each is retried while the retry window lasts. */
    public long failedAttempts(Failure f) { return failed.get(f).get(); }
}
