package dev.switchboard.server.webhooks;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The deliveries to one (app, URL): the bounded queue of sealed batches, the requests in flight or waiting for a
 * retry, and the {@link WebhookQueue} that keeps each batch until it is done. Fresh batches of this node's targets and
 * batches taken over (another node's, or the journal's) go through the same lane, so they share its back-off, its
 * limit of requests in flight and its counters. Webhook thread only, so no locks.
 */
final class DeliveryLane {
    private final Delivery d;
    /** App id and URL without user info or query, for logs. */
    final String label;
    private final AppWebhookStats appStats;
    private final ArrayDeque<WebhookBatch> ready = new ArrayDeque<>();
    private final List<WebhookBatch> inFlight = new ArrayList<>();
    /** Sealed and waiting for the queue to keep them. */
    private final List<WebhookBatch> appending = new ArrayList<>();

    DeliveryLane(Delivery d, String appId, String url) {
        this.d = d;
        this.label = "app " + appId + " -> " + redact(url);
        this.appStats = d.stats.app(appId);
    }

    /** A batch this node just sealed: kept by the queue first, then sent. */
    void offer(WebhookBatch b) {
        d.stats.queuedBatches.incrementAndGet();
        appending.add(b);
        d.queue.append(b.queued).whenComplete((ok, error) -> d.onWebhookThread(() -> {
            if (!appending.remove(b)) {
                return; // abandoned at shutdown meanwhile
            }
            if (error == null) {
                b.kept = true;
                if (d.queue.durable()) {
                    d.stats.batchesKept.incrementAndGet();
                }
            } else {
                d.log.warn("append:" + label, "Webhook batch of " + label + " could not be kept (" + error
                        + "); it is sent from this node's memory only");
            }
            enqueue(b, false);
        }));
    }

    /** A batch of a dead node or of the journal: its back-off resumes where the time since it was made puts it. */
    void resume(WebhookBatch b) {
        b.kept = true;
        b.failures = d.settings.failuresWithin(System.currentTimeMillis() - b.queued.timeMillis());
        d.stats.queuedBatches.incrementAndGet();
        d.stats.batchesClaimed.incrementAndGet();
        // older than anything sealed here since: ahead of the waiting ones
        enqueue(b, true);
    }

    private void enqueue(WebhookBatch b, boolean first) {
        if (ready.size() >= d.settings.queueSize()) {
            WebhookBatch oldest = ready.pollFirst();
            finish(oldest, d.stats.droppedQueueFull);
            d.log.warn("full:" + label, "Webhook queue of " + label + " is full (" + d.settings.queueSize()
                    + " batches): dropped the oldest batch");
        }
        if (first) {
            ready.addFirst(b);
        } else {
            ready.addLast(b);
        }
        pump();
    }

    private void pump() {
        while (inFlight.size() < d.settings.maxInFlight() && !ready.isEmpty()) {
            WebhookBatch b = ready.pollFirst();
            inFlight.add(b);
            attempt(b);
        }
    }

    private void attempt(WebhookBatch b) {
        if (!b.attempted) {
            b.attempted = true;
            b.firstAttemptNanos = System.nanoTime();
        }
        CompletableFuture<Integer> response;
        try {
            response = d.sender.post(b.request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((status, error) -> d.onWebhookThread(() -> onResult(b, status, error)));
    }

    private void onResult(WebhookBatch b, Integer status, Throwable error) {
        if (error == null && status >= 200 && status < 300) {
            done(b);
            d.stats.batchesSent.incrementAndGet();
            d.stats.eventsSent.addAndGet(b.events());
            d.stats.queuedBatches.decrementAndGet();
            appStats.batchesSent.incrementAndGet();
            if (b.resumed) {
                d.stats.batchesRedelivered.incrementAndGet();
            }
            ack(b);
            settle();
            return;
        }
        if (error != null && unwrap(error) instanceof IllegalArgumentException) {
            // The HTTP client refuses the request itself: no attempt will ever go out.
            appStats.failed(AppWebhookStats.Failure.ERROR);
            done(b);
            finish(b, d.stats.droppedRejected);
            d.log.warn("rejected:" + label, "Webhook to " + label + " cannot be sent (" + describe(error)
                    + "); batch dropped");
            settle();
            return;
        }
        // Pusher retries any answer but a 2xx: a 4xx is as often a receiver being deployed or misrouted for a
        // moment as it is a final no.
        d.stats.failedAttempts.incrementAndGet();
        appStats.failed(error == null ? AppWebhookStats.Failure.ofStatus(status) : failureOf(error));
        b.failures++;
        String reason = error == null ? "HTTP " + status : describe(error);
        long delay = d.settings.backoffMillis(b.failures, ThreadLocalRandom.current().nextDouble());
        // A batch of this node: the window runs from its first attempt here. A resumed one: from when it was made
        // (the node that knew its first attempt is gone), so takeovers cannot stretch it.
        long elapsedMillis = b.resumed ? System.currentTimeMillis() - b.queued.timeMillis()
                : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - b.firstAttemptNanos);
        if (d.closing) {
            done(b);
            leaveOrDrop(b);
            settle();
        } else if (elapsedMillis + delay > d.settings.retrySeconds() * 1000L) {
            done(b);
            finish(b, d.stats.droppedAfterRetries);
            d.log.warn("retries:" + label, "Webhook to " + label + " failed " + b.failures + " time(s) over "
                    + elapsedMillis + " ms (last: " + reason + "); batch dropped");
            settle();
        } else {
            d.thread.schedule(() -> attempt(b), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Frees b's slot and lets the next batch go. */
    private void done(WebhookBatch b) {
        inFlight.remove(b);
        pump();
    }

    /** Given up: counted as dropped, and acknowledged so that no other node takes it over. */
    private void finish(WebhookBatch b, AtomicLong counter) {
        d.stats.queuedBatches.decrementAndGet();
        appStats.batchesDropped.incrementAndGet();
        counter.incrementAndGet();
        d.stats.eventsDropped.addAndGet(b.events());
        ack(b);
    }

    /** At shutdown: a kept batch stays in a durable queue for whoever comes next; any other is lost. */
    private void leaveOrDrop(WebhookBatch b) {
        if (b.kept && d.queue.durable()) {
            d.stats.queuedBatches.decrementAndGet();
            d.stats.batchesLeftKept.incrementAndGet();
        } else {
            d.stats.queuedBatches.decrementAndGet();
            appStats.batchesDropped.incrementAndGet();
            d.stats.droppedOnClose.incrementAndGet();
            d.stats.eventsDropped.addAndGet(b.events());
        }
    }

    private void ack(WebhookBatch b) {
        if (b.kept) {
            try {
                d.queue.ack(b.queued);
            } catch (RuntimeException e) {
                d.log.warn("ack:" + label, "Webhook batch of " + label + " could not be acknowledged (" + e
                        + "); it may be delivered again");
            }
        }
    }

    private void settle() {
        d.onSettled.run();
    }

    /** Nothing waiting, in flight or waiting for a retry. */
    boolean idle() {
        return ready.isEmpty() && inFlight.isEmpty() && appending.isEmpty();
    }

    /** After the webhook thread stopped: whatever never got delivered is left kept or counted as dropped. */
    void abandon() {
        List<WebhookBatch> all = new ArrayList<>(appending);
        all.addAll(ready);
        all.addAll(inFlight);
        appending.clear();
        ready.clear();
        inFlight.clear();
        for (WebhookBatch b : all) {
            if (d.queue.durable()) {
                b.kept = true; // an append still on its way most likely went through: its batch stays there
            }
            leaveOrDrop(b);
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static AppWebhookStats.Failure failureOf(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return AppWebhookStats.Failure.TIMEOUT;
        }
        if (t instanceof java.io.IOException) {
            return AppWebhookStats.Failure.CONNECTION;
        }
        return AppWebhookStats.Failure.ERROR;
    }

    private static String describe(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return "timeout";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        return t.getClass().getSimpleName();
    }

    /** Scheme, host, port and path only: user info and query strings may hold credentials. */
    static String redact(String raw) {
        URI uri = WebhookTarget.parse(raw);
        if (uri == null) {
            return "<invalid url>";
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
