package dev.switchboard.server.webhooks;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the batches a {@link WebhookQueue} holds for this node: at start (the journal's, a dead node's), then
 * every {@link WebhookQueue#claimEveryMillis()} (the batches of nodes that die meanwhile). Each resumes in the lane of
 * its (app, URL), with the back-off it would have reached. Webhook thread only; one claim at a time.
 */
final class Takeover {
    private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);

    private final Delivery d;
    /** A claim is under way (a slow Redis): the next tick skips. */
    private boolean claiming;

    Takeover(Delivery d) {
        this.d = d;
    }

    void start() {
        d.onWebhookThread(this::claim);
        long every = d.queue.claimEveryMillis();
        if (every > 0) {
            d.thread.scheduleWithFixedDelay(() -> {
                if (!d.closing) {
                    claim();
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void claim() {
        if (claiming) {
            return;
        }
        claiming = true;
        d.queue.claim().whenComplete((batches, error) -> d.onWebhookThread(() -> {
            claiming = false;
            if (error != null) {
                d.log.warn("claim", "Could not look for webhook batches of nodes that are gone: " + error);
                return;
            }
            for (QueuedBatch q : batches) {
                try {
                    d.lane(q.appId(), q.url()).resume(new WebhookBatch(q, d.sender.request(q), true));
                } catch (IllegalArgumentException e) {
                    // a URL the HTTP client refuses: it will never go out
                    d.stats.droppedRejected.incrementAndGet();
                    d.stats.eventsDropped.addAndGet(q.events());
                    d.queue.ack(q);
                }
            }
            if (!batches.isEmpty()) {
                LOG.info("Took over {} webhook batch(es) owed by a node that is gone", batches.size());
            }
        }));
    }
}
