package dev.switchboard.server.webhooks;

import dev.switchboard.server.config.ServerConfig;

/**
 * The numbers the dispatcher runs on: the server-level webhook settings of {@link ServerConfig} plus a few
 * internal constants that are not (yet) configuration. Tests build it directly with short times.
 *
 * @param batchMillis          how long a batch stays open after its first event
 * @param batchMaxEvents       events per POST at most
 * @param leaveDelayMillis     hold-back of channel_vacated / member_removed / user_offline
 * @param timeoutMillis        per request: connect and response
 * @param queueSize            sealed batches waiting per target; the oldest is dropped beyond it
 * @param retrySeconds         how long after its first attempt a batch may still be retried
 * @param cacheMissWindowMillis at most one cache_miss per (app, channel) per this window
 * @param retryBaseMillis      first back-off; doubles per failure
 * @param retryMaxMillis       back-off cap
 * @param maxInFlight          requests (including ones waiting to be retried) per target at once
 * @param closeGraceMillis     how long {@code close()} waits for the last deliveries
 * @param inboxLimit           engine events waiting for the webhook thread; beyond it they are dropped
 */
record WebhookSettings(int batchMillis, int batchMaxEvents, int leaveDelayMillis, int timeoutMillis, int queueSize,
                       int retrySeconds, long cacheMissWindowMillis, long retryBaseMillis, long retryMaxMillis,
                       int maxInFlight, long closeGraceMillis, int inboxLimit) {

    /** Pusher de-duplicates cache_miss webhooks "when many clients hit the same empty channel" (§2.8). */
    static final long CACHE_MISS_WINDOW_MILLIS = 5_000;
    static final long RETRY_BASE_MILLIS = 1_000;
    static final long RETRY_MAX_MILLIS = 30_000;
    /**
     * A few parallel requests per target: enough to keep up with a slow receiver, few enough to keep batches
     * mostly in order (ordering is best effort, as with Pusher).
     */
    static final int MAX_IN_FLIGHT = 4;
    static final long CLOSE_GRACE_MILLIS = 2_000;
    static final int INBOX_LIMIT = 100_000;

    WebhookSettings {
        batchMillis = Math.max(0, batchMillis);
        batchMaxEvents = Math.max(1, batchMaxEvents);
        leaveDelayMillis = Math.max(0, leaveDelayMillis);
        timeoutMillis = Math.max(1, timeoutMillis);
        queueSize = Math.max(1, queueSize);
        retrySeconds = Math.max(0, retrySeconds);
        maxInFlight = Math.max(1, maxInFlight);
        retryBaseMillis = Math.max(1, retryBaseMillis);
        retryMaxMillis = Math.max(retryBaseMillis, retryMaxMillis);
    }

    static WebhookSettings from(ServerConfig c) {
        return new WebhookSettings(c.webhookBatchMillis(), c.webhookBatchMaxEvents(), c.webhookLeaveDelayMillis(),
                c.webhookTimeoutMillis(), c.webhookQueueSize(), c.webhookRetrySeconds(), CACHE_MISS_WINDOW_MILLIS,
                RETRY_BASE_MILLIS, RETRY_MAX_MILLIS, MAX_IN_FLIGHT, CLOSE_GRACE_MILLIS, INBOX_LIMIT);
    }

    /** The longest back-off before retry number {@code failures} (1 = after the first failure): doubling, capped. */
    long backoffCeilingMillis(int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        return Math.min(retryMaxMillis, retryBaseMillis << shift);
    }

    /**
     * For a batch taken over from a dead node (or replayed from the journal), whose failures so far are not known:
     * the number of failures after which the back-off, at its longest, would have taken {@code elapsedMillis}. Its
     * retries then go on with the back-off it would have reached, not from 1 s again.
     */
    int failuresWithin(long elapsedMillis) {
        int n = 0;
        long spent = 0;
        while (n < 1000 && spent + backoffCeilingMillis(n + 1) <= elapsedMillis) {
            spent += backoffCeilingMillis(n + 1);
            n++;
        }
        return n;
    }

    /**
     * The back-off before retry number {@code failures}, with jitter: between half the ceiling and the ceiling,
     * {@code unit} (in [0, 1), random) choosing where. The jitter spreads the retries of many batches that
     * failed together (a receiver that was down for everyone) so they do not all arrive together again; the
     * floor of half keeps the back-off growing.
     */
    long backoffMillis(int failures, double unit) {
        long ceiling = backoffCeilingMillis(failures);
        long floor = ceiling / 2;
        return floor + (long) (Math.min(Math.max(unit, 0), 1) * (ceiling - floor));
    }
}
