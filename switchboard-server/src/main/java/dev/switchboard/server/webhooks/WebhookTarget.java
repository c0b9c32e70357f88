package dev.switchboard.server.webhooks;

import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.WebhookConfig;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One (app, webhook URL) pair: its filter, the batch being filled, the bounded queue of sealed batches and
 * the requests in flight or waiting for a retry. Webhook thread only, so no locks.
 */
final class WebhookTarget {
    /** Ours to set, or refused by the JDK HTTP client. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "x-pusher-key", "x-pusher-signature",
            "connection", "content-length", "date", "expect", "from", "host", "upgrade", "via", "warning");

    private final Delivery d;
    private final String appKey;
    private final String secret;
    private final URI uri;
    /** App id and URL without user info or query, for logs. */
    private final String label;
    /** Null: every type. */
    private final Set<WebhookEventType> types;
    private final String channelPrefix;
    private final List<Map.Entry<String, String>> headers;
    private final AppWebhookStats appStats;

    private List<Map<String, Object>> open = new ArrayList<>();
    private ScheduledFuture<?> flushTimer;
    private final ArrayDeque<WebhookBatch> ready = new ArrayDeque<>();
    private int active;
    private int activeEvents;

    WebhookTarget(Delivery d, AppConfig app, WebhookConfig hook) {
        this.d = d;
        this.appKey = app.key();
        this.appStats = d.stats.app(app.id());
        this.secret = app.secret();
        this.uri = parse(hook.url());
        this.label = "app " + app.id() + " -> " + redact(uri, hook.url());
        if (uri == null) {
            d.log.warn("bad-url:" + label, "Webhook target of " + label + " is not an http(s) URL; its events are dropped");
        }
        this.types = typesOf(hook.eventTypes());
        this.channelPrefix = hook.channelPrefix() == null || hook.channelPrefix().isEmpty() ? null : hook.channelPrefix();
        this.headers = validHeaders(hook.headers());
    }

    boolean accepts(WebhookEvent e) {
        if (types != null && !types.contains(e.type())) {
            return false;
        }
        // user_* events have no channel: the prefix filter does not apply to them
        return channelPrefix == null || !e.type().channelScoped() || e.channel().startsWith(channelPrefix);
    }

    void add(Map<String, Object> payload) {
        open.add(payload);
        if (open.size() >= d.settings.batchMaxEvents()) {
            seal();
        } else if (open.size() == 1) {
            flushTimer = d.thread.schedule(this::seal, d.settings.batchMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Closes the batch being filled: serialise once, sign those bytes, queue the request that sends them. */
    void seal() {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        if (open.isEmpty()) {
            return;
        }
        List<Map<String, Object>> events = open;
        open = new ArrayList<>();
        if (uri == null) {
            drop(events.size(), d.stats.droppedRejected);
            return;
        }
        byte[] bytes = body(System.currentTimeMillis(), events);
        HttpRequest request;
        try {
            request = d.sender.request(uri, headers, appKey, Signatures.hmacSha256Hex(secret, bytes), bytes);
        } catch (IllegalArgumentException e) {
            d.log.warn("bad-request:" + label, "Webhook for " + label + " cannot be built (" + e.getClass().getSimpleName()
                    + "); batch dropped");
            drop(events.size(), d.stats.droppedRejected);
            return;
        }
        d.stats.queuedBatches.incrementAndGet();
        if (ready.size() >= d.settings.queueSize()) {
            WebhookBatch oldest = ready.pollFirst();
            finish(oldest, d.stats.droppedQueueFull);
            d.log.warn("full:" + label, "Webhook queue of " + label + " is full (" + d.settings.queueSize()
                    + " batches): dropped the oldest batch");
        }
        ready.addLast(new WebhookBatch(request, events.size()));
        pump();
    }

    private void pump() {
        while (active < d.settings.maxInFlight() && !ready.isEmpty()) {
            WebhookBatch b = ready.pollFirst();
            active++;
            activeEvents += b.events;
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
            d.stats.eventsSent.addAndGet(b.events);
            d.stats.queuedBatches.decrementAndGet();
            appStats.batchesSent.incrementAndGet();
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
        // moment as it is a final no, and the batch cannot be sent again later by anyone else.
        d.stats.failedAttempts.incrementAndGet();
        appStats.failed(error == null ? AppWebhookStats.Failure.ofStatus(status) : failureOf(error));
        b.failures++;
        String reason = error == null ? "HTTP " + status : describe(error);
        long delay = d.settings.backoffMillis(b.failures, ThreadLocalRandom.current().nextDouble());
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - b.firstAttemptNanos);
        if (d.closing) {
            done(b);
            finish(b, d.stats.droppedOnClose);
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

    /** The POST body of PROTOCOL.md §7.1: {@code {"time_ms":…,"events":[…]}}. */
    static byte[] body(long timeMs, List<Map<String, Object>> events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time_ms", timeMs);
        body.put("events", events);
        return WireCodec.writeBytes(body);
    }

    /** Frees b's slot and lets the next batch go. */
    private void done(WebhookBatch b) {
        active--;
        activeEvents -= b.events;
        pump();
    }

    private void finish(WebhookBatch b, AtomicLong counter) {
        d.stats.queuedBatches.decrementAndGet();
        appStats.batchesDropped.incrementAndGet();
        counter.incrementAndGet();
        d.stats.eventsDropped.addAndGet(b.events);
    }

    private void drop(int events, AtomicLong counter) {
        counter.incrementAndGet();
        appStats.batchesDropped.incrementAndGet();
        d.stats.eventsDropped.addAndGet(events);
    }

    private void settle() {
        d.onSettled.run();
    }

    /** Nothing being filled, queued, in flight or waiting for a retry. */
    boolean idle() {
        return open.isEmpty() && ready.isEmpty() && active == 0;
    }

    /** After the webhook thread stopped: count whatever never got delivered. */
    void abandon() {
        if (!open.isEmpty()) {
            drop(open.size(), d.stats.droppedOnClose);
            open = new ArrayList<>();
        }
        for (WebhookBatch b : ready) {
            finish(b, d.stats.droppedOnClose);
        }
        ready.clear();
        if (active > 0) {
            d.stats.droppedOnClose.addAndGet(active);
            appStats.batchesDropped.addAndGet(active);
            d.stats.queuedBatches.addAndGet(-active);
            d.stats.eventsDropped.addAndGet(activeEvents);
            active = 0;
            activeEvents = 0;
        }
    }

    private static Throwable unwrap(Throwable error) {
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

    private static URI parse(String url) {
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u : null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** Scheme, host, port and path only: user info and query strings may hold credentials. */
    private static String redact(URI uri, String raw) {
        if (uri == null) {
            return "<invalid url>";
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private Set<WebhookEventType> typesOf(List<String> names) {
        if (names.isEmpty()) {
            return null;
        }
        Set<WebhookEventType> set = EnumSet.noneOf(WebhookEventType.class);
        for (String name : names) {
            WebhookEventType t = WebhookEventType.fromWireName(name);
            if (t == null) {
                d.log.warn("bad-type:" + label + name, "Webhook target of " + label + " lists unknown event type '"
                        + name + "'; ignored");
            } else {
                set.add(t);
            }
        }
        return set;
    }

    private List<Map.Entry<String, String>> validHeaders(Map<String, String> configured) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> h : configured.entrySet()) {
            String name = h.getKey();
            boolean ok = name != null && h.getValue() != null
                    && !RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT));
            if (ok) {
                try {
                    HttpRequest.newBuilder().header(name, h.getValue());
                } catch (IllegalArgumentException e) {
                    ok = false;
                }
            }
            if (ok) {
                out.add(Map.entry(name, h.getValue()));
            } else {
                d.log.warn("bad-header:" + label + name, "Webhook target of " + label + ": header '" + name
                        + "' is reserved or invalid; not sent");
            }
        }
        return List.copyOf(out);
    }
}
