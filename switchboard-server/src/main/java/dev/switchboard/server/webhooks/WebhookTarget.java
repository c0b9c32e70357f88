package dev.switchboard.server.webhooks;

import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.WebhookConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One (app, webhook URL) pair as configured: its filter and the batch being filled. A sealed batch gets its id, is
 * signed once and goes to the {@link DeliveryLane} of its (app, URL), which keeps, sends and retries it. Webhook
 * thread only, so no locks.
 */
final class WebhookTarget {
    /** Ours to set, or refused by the JDK HTTP client. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "x-pusher-key", "x-pusher-signature",
            WebhookSender.ID_HEADER.toLowerCase(Locale.ROOT), "connection", "content-length", "date", "expect", "from",
            "host", "upgrade", "via", "warning");

    private final Delivery d;
    private final String appId;
    private final String appKey;
    private final String secret;
    private final String url;
    private final URI uri;
    private final DeliveryLane lane;
    /** Null: every type. */
    private final Set<WebhookEventType> types;
    private final String channelPrefix;
    private final Map<String, String> headers;

    private List<Map<String, Object>> open = new ArrayList<>();
    private ScheduledFuture<?> flushTimer;

    WebhookTarget(Delivery d, AppConfig app, WebhookConfig hook) {
        this.d = d;
        this.appId = app.id();
        this.appKey = app.key();
        this.secret = app.secret();
        this.url = hook.url();
        this.uri = parse(hook.url());
        this.lane = d.lane(app.id(), hook.url());
        if (uri == null) {
            d.log.warn("bad-url:" + lane.label, "Webhook target of " + lane.label
                    + " is not an http(s) URL; its events are dropped");
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

    /** Closes the batch being filled: serialise once, sign those bytes, hand the batch to its lane. */
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
            drop(events.size());
            return;
        }
        long now = System.currentTimeMillis();
        byte[] bytes = body(now, events);
        QueuedBatch q = new QueuedBatch(d.nextId(), appId, appKey, url, headers, Signatures.hmacSha256Hex(secret, bytes),
                bytes, events.size(), now);
        HttpRequest request;
        try {
            request = d.sender.request(q);
        } catch (IllegalArgumentException e) {
            d.log.warn("bad-request:" + lane.label, "Webhook for " + lane.label + " cannot be built ("
                    + e.getClass().getSimpleName() + "); batch dropped");
            drop(events.size());
            return;
        }
        lane.offer(new WebhookBatch(q, request, false));
    }

    /** The POST body of PROTOCOL.md §7.1: {@code {"time_ms":…,"events":[…]}}. */
    static byte[] body(long timeMs, List<Map<String, Object>> events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time_ms", timeMs);
        body.put("events", events);
        return WireCodec.writeBytes(body);
    }

    private void drop(int events) {
        d.stats.droppedRejected.incrementAndGet();
        d.stats.app(appId).batchesDropped.incrementAndGet();
        d.stats.eventsDropped.addAndGet(events);
    }

    /** Nothing being filled (what is sealed is its lane's). */
    boolean idle() {
        return open.isEmpty();
    }

    /** After the webhook thread stopped: count the batch being filled as never delivered. */
    void abandon() {
        if (!open.isEmpty()) {
            d.stats.droppedOnClose.incrementAndGet();
            d.stats.app(appId).batchesDropped.incrementAndGet();
            d.stats.eventsDropped.addAndGet(open.size());
            open = new ArrayList<>();
        }
    }

    static URI parse(String url) {
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u : null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private Set<WebhookEventType> typesOf(List<String> names) {
        if (names.isEmpty()) {
            return null;
        }
        Set<WebhookEventType> set = EnumSet.noneOf(WebhookEventType.class);
        for (String name : names) {
            WebhookEventType t = WebhookEventType.fromWireName(name);
            if (t == null) {
                d.log.warn("bad-type:" + lane.label + name, "Webhook target of " + lane.label + " lists unknown event type '"
                        + name + "'; ignored");
            } else {
                set.add(t);
            }
        }
        return set;
    }

    private Map<String, String> validHeaders(Map<String, String> configured) {
        Map<String, String> out = new LinkedHashMap<>();
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
                out.put(name, h.getValue());
            } else {
                d.log.warn("bad-header:" + lane.label + name, "Webhook target of " + lane.label + ": header '" + name
                        + "' is reserved or invalid; not sent");
            }
        }
        return out;
    }
}
