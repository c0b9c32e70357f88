package dev.switchboard.server.webhooks;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.engine.HeldLeaves;
import dev.switchboard.server.logging.RateLimitedLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back leave events (channel_vacated, member_removed, user_offline) for the leave delay; a matching
 * join (channel_occupied, the same member added, the same user online) inside it cancels both, so a page
 * reload produces no webhook at all (PROTOCOL.md §7.3). Keyed by (app, channel), (app, channel, user) and
 * (app, user). Webhook thread only.
 *
 * <p>A leave the shared state recorded as held ({@link Mode#IN_STATE}) is cancelled where the state lives, by a join on
 * any node (which then reports no webhook of its own); at the end of its delay it is sent only if
 * {@link HeldLeaves#confirmHeld} still finds it (docs/webhooks.md). A leave the state does not hold is sent at once
 * ({@link Mode#AT_ONCE}), or, reported without a word on the state, paired with this node's joins only.
 */
final class LeaveDelay {
    private record Key(String appId, WebhookEventType leave, String channel, String userId) {}

    private static final class Held {
        final AppConfig app;
        final WebhookEvent event;
        final boolean inState;
        ScheduledFuture<?> timer;

        Held(AppConfig app, WebhookEvent event, boolean inState) {
            this.app = app;
            this.event = event;
            this.inState = inState;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LeaveDelay.class);

    /**
     * How a leave reached the webhooks. {@code IN_STATE}: the shared state recorded it as held (it has the last
     * word). {@code AT_ONCE}: the engine decided it but the state holds nothing (decided while the state was
     * unreachable, a dead node's leaves taken out by this node, an erased user): sent without delay, since a join on
     * another node could not cancel it and would otherwise overtake it. {@code HERE}: reported without a word on the
     * state (a listener of its own): held and paired with this node's joins only.
     */
    enum Mode { IN_STATE, AT_ONCE, HERE }

    private final ScheduledExecutorService thread;
    private final long delayMillis;
    private final BiConsumer<AppConfig, WebhookEvent> emit;
    private final WebhookStats stats;
    private final Map<Key, Held> held = new HashMap<>();
    /** Held leaves whose confirmation is on its way, so that close can wait for it. */
    private final Map<Held, CompletableFuture<Boolean>> confirming = new HashMap<>();
    private final RateLimitedLog log = new RateLimitedLog(LOG);
    /** Where held leaves are confirmed; set before the first event. */
    private volatile HeldLeaves state;

    LeaveDelay(ScheduledExecutorService thread, long delayMillis, BiConsumer<AppConfig, WebhookEvent> emit,
               WebhookStats stats) {
        this.thread = thread;
        this.delayMillis = delayMillis;
        this.emit = emit;
        this.stats = stats;
    }

    void confirmWith(HeldLeaves value) {
        this.state = value;
    }

    static boolean isLeave(WebhookEventType t) {
        return t == WebhookEventType.CHANNEL_VACATED || t == WebhookEventType.MEMBER_REMOVED
                || t == WebhookEventType.USER_OFFLINE;
    }

    static boolean isJoin(WebhookEventType t) {
        return t == WebhookEventType.CHANNEL_OCCUPIED || t == WebhookEventType.MEMBER_ADDED
                || t == WebhookEventType.USER_ONLINE;
    }

    /**
     * Holds {@code leave} for the delay, then emits it unless a join cancelled it ({@link Mode}).
     */
    void leave(AppConfig app, WebhookEvent leave, Mode mode) {
        boolean confirmed = mode == Mode.IN_STATE && state != null;
        if ((delayMillis <= 0 && !confirmed) || mode == Mode.AT_ONCE) {
            emit.accept(app, leave);
            return;
        }
        Key key = new Key(app.id(), leave.type(), leave.channel(), leave.userId());
        Held h = new Held(app, leave, confirmed);
        Held previous = held.put(key, h);
        if (previous != null) {
            // two leaves without a join between them: one webhook is enough
            previous.timer.cancel(false);
        }
        h.timer = thread.schedule(() -> fire(key, h), delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * True when {@code join} cancelled a leave held here only; then the join must not be sent either. A leave the
     * state holds is the state's to cancel ({@link #cancelledInState}): the state said this join found none.
     */
    boolean join(AppConfig app, WebhookEvent join) {
        if (held.isEmpty()) {
            return false;
        }
        Key key = new Key(app.id(), leaveOf(join.type()), join.channel(), join.userId());
        Held h = held.get(key);
        if (h == null || h.inState) {
            return false;
        }
        held.remove(key);
        h.timer.cancel(false);
        stats.leavesCancelled.incrementAndGet();
        return true;
    }

    /** {@code join} cancelled the held leave in the shared state: neither is sent; a copy held here goes. */
    void cancelledInState(AppConfig app, WebhookEvent join) {
        stats.leavesCancelled.incrementAndGet();
        Held h = held.remove(new Key(app.id(), leaveOf(join.type()), join.channel(), join.userId()));
        if (h != null) {
            h.timer.cancel(false);
        }
    }

    /**
     * On close: the leaves are real, send them now; those held in the state once it confirms them (waiting at most
     * {@code waitMillis} for all; one not answered by then is sent).
     */
    void flushAll(long waitMillis) {
        List<Held> all = new ArrayList<>(held.values());
        held.clear();
        for (Held h : all) {
            h.timer.cancel(false);
            if (h.inState) {
                confirming.put(h, confirm(h));
            } else {
                emit.accept(h.app, h.event);
            }
        }
        if (confirming.isEmpty()) {
            return;
        }
        Map<Held, CompletableFuture<Boolean>> waiting = new HashMap<>(confirming);
        confirming.clear();
        try {
            CompletableFuture.allOf(waiting.values().toArray(CompletableFuture[]::new))
                    .get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // each is looked at below
        }
        waiting.forEach((h, f) -> {
            Boolean stillHeld = null;
            Throwable err = null;
            try {
                stillHeld = f.getNow(null);
            } catch (RuntimeException failed) {
                err = failed;
            }
            confirmed(h, stillHeld, err);
        });
    }

    private void fire(Key key, Held h) {
        if (held.get(key) == h) {
            held.remove(key);
            if (!h.inState) {
                emit.accept(h.app, h.event);
                return;
            }
            CompletableFuture<Boolean> f = confirm(h);
            confirming.put(h, f);
            f.whenComplete((ok, err) -> {
                try {
                    thread.execute(() -> {
                        if (confirming.remove(h) != null) {
                            confirmed(h, ok, err);
                        }
                    });
                } catch (RejectedExecutionException closed) {
                    // the webhook thread is gone: close already dealt with it
                }
            });
        }
    }

    private CompletableFuture<Boolean> confirm(Held h) {
        WebhookEvent e = h.event;
        HeldLeaves.Hold hold = switch (e.type()) {
            case CHANNEL_VACATED -> HeldLeaves.Hold.VACANCY;
            case MEMBER_REMOVED -> HeldLeaves.Hold.REMOVAL;
            default -> HeldLeaves.Hold.OFFLINE;
        };
        try {
            return state.confirmHeld(h.app.id(), hold, e.channel(), e.userId()).toCompletableFuture();
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    /**
     * Sends the leave when the state still held it. When the state could not answer (null result) the leave is sent:
     * a lost leave would leave the receiver believing the member present for good (docs/webhooks.md).
     */
    private void confirmed(Held h, Boolean stillHeld, Throwable err) {
        if (Boolean.FALSE.equals(stillHeld) && err == null) {
            return; // a join cancelled it (and counted it, on whichever node it came)
        }
        if (err != null || stillHeld == null) {
            log.warn("confirm", "Could not confirm a held " + h.event.type().wireName()
                    + " with the shared state; sending it");
        }
        emit.accept(h.app, h.event);
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
