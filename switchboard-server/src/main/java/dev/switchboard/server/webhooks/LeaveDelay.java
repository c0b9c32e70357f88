package dev.switchboard.server.webhooks;

import dev.switchboard.server.config.AppConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Holds back leave events (channel_vacated, member_removed, user_offline) for the leave delay; a matching
 * join (channel_occupied, the same member added, the same user online) inside it cancels both, so a page
 * reload produces no webhook at all (PROTOCOL.md §7.3). Keyed by (app, channel), (app, channel, user) and
 * (app, user). Webhook thread only.
 */
final class LeaveDelay {
    private record Key(String appId, WebhookEventType leave, String channel, String userId) {}

    private static final class Held {
        final AppConfig app;
        final WebhookEvent event;
        ScheduledFuture<?> timer;

        Held(AppConfig app, WebhookEvent event) {
            this.app = app;
            this.event = event;
        }
    }

    private final ScheduledExecutorService thread;
    private final long delayMillis;
    private final BiConsumer<AppConfig, WebhookEvent> emit;
    private final WebhookStats stats;
    private final Map<Key, Held> held = new HashMap<>();

    LeaveDelay(ScheduledExecutorService thread, long delayMillis, BiConsumer<AppConfig, WebhookEvent> emit,
               WebhookStats stats) {
        this.thread = thread;
        this.delayMillis = delayMillis;
        this.emit = emit;
        this.stats = stats;
    }

    static boolean isLeave(WebhookEventType t) {
        return t == WebhookEventType.CHANNEL_VACATED || t == WebhookEventType.MEMBER_REMOVED
                || t == WebhookEventType.USER_OFFLINE;
    }

    static boolean isJoin(WebhookEventType t) {
        return t == WebhookEventType.CHANNEL_OCCUPIED || t == WebhookEventType.MEMBER_ADDED
                || t == WebhookEventType.USER_ONLINE;
    }

    /** Holds {@code leave} for the delay, then emits it unless a join cancelled it. */
    void leave(AppConfig app, WebhookEvent leave) {
        if (delayMillis <= 0) {
            emit.accept(app, leave);
            return;
        }
        Key key = new Key(app.id(), leave.type(), leave.channel(), leave.userId());
        Held h = new Held(app, leave);
        Held previous = held.put(key, h);
        if (previous != null) {
            // two leaves without a join between them: one webhook is enough
            previous.timer.cancel(false);
        }
        h.timer = thread.schedule(() -> fire(key, h), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** True when {@code join} cancelled a held leave; then the join must not be sent either. */
    boolean join(AppConfig app, WebhookEvent join) {
        if (held.isEmpty()) {
            return false;
        }
        Held h = held.remove(new Key(app.id(), leaveOf(join.type()), join.channel(), join.userId()));
        if (h == null) {
            return false;
        }
        h.timer.cancel(false);
        stats.leavesCancelled.incrementAndGet();
        return true;
    }

    /** On close: the leaves are real, send them now. */
    void flushAll() {
        List<Held> all = new ArrayList<>(held.values());
        held.clear();
        for (Held h : all) {
            h.timer.cancel(false);
            emit.accept(h.app, h.event);
        }
    }

    private void fire(Key key, Held h) {
        if (held.get(key) == h) {
            held.remove(key);
            emit.accept(h.app, h.event);
        }
    }

    private static WebhookEventType leaveOf(WebhookEventType join) {
        switch (join) {
            case CHANNEL_OCCUPIED:
                return WebhookEventType.CHANNEL_VACATED;
            case MEMBER_ADDED:
                return WebhookEventType.MEMBER_REMOVED;
            case USER_ONLINE:
                return WebhookEventType.USER_OFFLINE;
            default:
                throw new IllegalArgumentException("not a join: " + join);
        }
    }
}
