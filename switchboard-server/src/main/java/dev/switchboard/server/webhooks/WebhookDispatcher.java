package dev.switchboard.server.webhooks;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.EngineEvent;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.HeldLeaves;
import dev.switchboard.server.logging.RateLimitedLog;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's webhook listener (PROTOCOL.md §7). Listener methods run on event loops and only put a small
 * record on a lock-free queue (and wake the webhook thread when it is idle). The single webhook thread then
 * applies the leave delay and cache_miss de-duplication, filters per target, batches, signs and hands the
 * bytes to the async HTTP client; responses come back to the same thread. No state is shared between threads
 * except the queue and the counters.
 */
public final class WebhookDispatcher implements EngineListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Inbound events handled per run before timers and responses get a turn. */
    private static final int DRAIN_CHUNK = 10_000;

    /** {@code flag}: a join that cancelled a held leave in the shared state; {@code mode}: how a leave is held. */
    private record Inbound(AppConfig app, WebhookEvent event, boolean flag, LeaveDelay.Mode mode) {}

    private final WebhookSettings settings;
    private final WebhookStats stats = new WebhookStats();
    private final RateLimitedLog log = new RateLimitedLog(LOG);
    private final ConcurrentLinkedQueue<Inbound> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxSize = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor thread;
    private final WebhookSender sender;
    private final WebhookQueue queue;
    private final Delivery delivery;
    private final LeaveDelay leaveDelay;
    private final CacheMissFilter cacheMisses;

    // webhook thread only
    private final AppTargetTable targets;
    private CompletableFuture<Void> closeWaiter;
    /** Told of each event handed to a target (the dashboard's console); set before the first event. */
    private volatile EngineListener tap = EngineListener.NONE;

    public WebhookDispatcher(ServerConfig config) {
        this(WebhookSettings.from(config), WebhookQueue.MEMORY);
    }

    /** Keeping batches in {@code queue} until delivered (Redis, a journal), which this dispatcher closes. */
    public WebhookDispatcher(ServerConfig config, WebhookQueue queue) {
        this(WebhookSettings.from(config), queue);
    }

    WebhookDispatcher(WebhookSettings settings) {
        this(settings, WebhookQueue.MEMORY);
    }

    WebhookDispatcher(WebhookSettings settings, WebhookQueue queue) {
        this.queue = queue;
        this.settings = settings;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-webhooks");
            t.setDaemon(true);
            return t;
        });
        // every page reload cancels a leave timer: do not keep cancelled timers in the queue
        thread.setRemoveOnCancelPolicy(true);
        this.sender = new WebhookSender(settings.timeoutMillis());
        this.delivery = new Delivery(thread, sender, settings, stats, log, queue);
        this.delivery.onSettled = this::settled;
        this.leaveDelay = new LeaveDelay(thread, settings.leaveDelayMillis(), this::emit, stats);
        this.cacheMisses = new CacheMissFilter(settings.cacheMissWindowMillis());
        this.targets = new AppTargetTable(delivery);
    }

    /**
     * Starts the webhook thread now rather than on the first event, and takes over what the queue holds for this
     * node (the journal's batches, a dead node's), then keeps looking for batches of nodes that die. Once only.
     */
    public WebhookDispatcher start() {
        if (thread.prestartCoreThread()) {
            new Takeover(delivery).start();
        }
        return this;
    }

    public WebhookStats stats() {
        return stats;
    }

    /**
     * Where leaves held in the shared state are confirmed at the end of their delay (docs/webhooks.md): the state the
     * engine decides with. Set before the first event.
     */
    public WebhookDispatcher confirmWith(HeldLeaves state) {
        leaveDelay.confirmWith(state);
        return this;
    }

    /** Reports every webhook event that a target takes, as {@link EngineEvent.Origin#WEBHOOK}. */
    public WebhookDispatcher tap(EngineListener value) {
        this.tap = value == null ? EngineListener.NONE : value;
        return this;
    }

    // ------------------------------------------------------------------ EngineListener (event-loop threads)

    /** The engine's events that make webhooks, each to the method below that queues it. */
    @Override
    public void on(EngineEvent e) {
        if (e instanceof EngineEvent.ChannelOccupied o) {
            channelOccupied(o.app(), o.channel(), o.cancelsHeld());
        } else if (e instanceof EngineEvent.ChannelVacated v) {
            channelVacated(v.app(), v.channel(), v.held());
        } else if (e instanceof EngineEvent.MemberAdded a) {
            memberAdded(a.app(), a.channel(), a.userId(), a.cancelsHeld());
        } else if (e instanceof EngineEvent.MemberRemoved r) {
            memberRemoved(r.app(), r.channel(), r.userId(), r.held());
        } else if (e instanceof EngineEvent.ClientEvent c) {
            clientEvent(c.app(), c.channel(), c.event(), c.dataJson(), c.socketId(), c.userId());
        } else if (e instanceof EngineEvent.CacheMiss m) {
            cacheMiss(m.app(), m.channel());
        } else if (e instanceof EngineEvent.SubscriptionCount c) {
            subscriptionCount(c.app(), c.channel(), c.count());
        } else if (e instanceof EngineEvent.UserOnline u) {
            userOnline(u.app(), u.userId(), u.cancelsHeld());
        } else if (e instanceof EngineEvent.UserOffline u) {
            userOffline(u.app(), u.userId(), u.held());
        } else if (e instanceof EngineEvent.UserTerminated u) {
            userTerminated(u.app(), u.userId());
        } else if (e instanceof EngineEvent.UserBanned b) {
            offer(b.app(), WebhookEvent.banned(b.userId(), b.untilMs()));
        } else if (e instanceof EngineEvent.UserUnbanned u) {
            offer(u.app(), WebhookEvent.user(WebhookEventType.USER_UNBANNED, u.userId()));
        }
    }

    public void channelOccupied(AppConfig app, String channel) {
        channelOccupied(app, channel, false);
    }

    public void channelOccupied(AppConfig app, String channel, boolean cancelsHeld) {
        offer(app, WebhookEvent.channel(WebhookEventType.CHANNEL_OCCUPIED, channel), cancelsHeld);
    }

    public void channelVacated(AppConfig app, String channel) {
        offerLeave(app, WebhookEvent.channel(WebhookEventType.CHANNEL_VACATED, channel), LeaveDelay.Mode.HERE);
    }

    public void channelVacated(AppConfig app, String channel, boolean held) {
        offerLeave(app, WebhookEvent.channel(WebhookEventType.CHANNEL_VACATED, channel), held ? LeaveDelay.Mode.IN_STATE : LeaveDelay.Mode.AT_ONCE);
    }

    public void memberAdded(AppConfig app, String channel, String userId) {
        memberAdded(app, channel, userId, false);
    }

    public void memberAdded(AppConfig app, String channel, String userId, boolean cancelsHeld) {
        offer(app, WebhookEvent.member(WebhookEventType.MEMBER_ADDED, channel, userId), cancelsHeld);
    }

    public void memberRemoved(AppConfig app, String channel, String userId) {
        offerLeave(app, WebhookEvent.member(WebhookEventType.MEMBER_REMOVED, channel, userId), LeaveDelay.Mode.HERE);
    }

    public void memberRemoved(AppConfig app, String channel, String userId, boolean held) {
        offerLeave(app, WebhookEvent.member(WebhookEventType.MEMBER_REMOVED, channel, userId), held ? LeaveDelay.Mode.IN_STATE : LeaveDelay.Mode.AT_ONCE);
    }

    public void clientEvent(AppConfig app, String channel, String event, String dataJson, String socketId,
                            String userId) {
        offer(app, WebhookEvent.client(channel, event, dataJson, socketId, userId));
    }

    public void cacheMiss(AppConfig app, String channel) {
        offer(app, WebhookEvent.channel(WebhookEventType.CACHE_MISS, channel));
    }

    public void subscriptionCount(AppConfig app, String channel, int count) {
        offer(app, WebhookEvent.subscriptionCount(channel, count));
    }

    public void userOnline(AppConfig app, String userId) {
        userOnline(app, userId, false);
    }

    public void userOnline(AppConfig app, String userId, boolean cancelsHeld) {
        offer(app, WebhookEvent.user(WebhookEventType.USER_ONLINE, userId), cancelsHeld);
    }

    public void userOffline(AppConfig app, String userId) {
        offerLeave(app, WebhookEvent.user(WebhookEventType.USER_OFFLINE, userId), LeaveDelay.Mode.HERE);
    }

    public void userOffline(AppConfig app, String userId, boolean held) {
        offerLeave(app, WebhookEvent.user(WebhookEventType.USER_OFFLINE, userId), held ? LeaveDelay.Mode.IN_STATE : LeaveDelay.Mode.AT_ONCE);
    }

    public void userTerminated(AppConfig app, String userId) {
        offer(app, WebhookEvent.user(WebhookEventType.USER_TERMINATED, userId));
    }

    private void offer(AppConfig app, WebhookEvent event) {
        offer(app, event, false);
    }

    private void offerLeave(AppConfig app, WebhookEvent event, LeaveDelay.Mode mode) {
        offer(app, event, false, mode);
    }

    private void offer(AppConfig app, WebhookEvent event, boolean flag) {
        offer(app, event, flag, LeaveDelay.Mode.HERE);
    }

    /** Never blocks, never throws: a queue offer, two atomics, at most one task submission. */
    private void offer(AppConfig app, WebhookEvent event, boolean flag, LeaveDelay.Mode mode) {
        try {
            if (app == null || app.webhooks().isEmpty() || closed.get()) {
                return;
            }
            if (event.type().channelScoped()
                    && (event.channel() == null || event.channel().startsWith(ChannelName.SERVER_TO_USER_PREFIX))) {
                return; // server-to-user channels are an implementation detail of users, never a webhook
            }
            if (inboxSize.incrementAndGet() > settings.inboxLimit()) {
                inboxSize.decrementAndGet();
                stats.droppedOverload.incrementAndGet();
                stats.eventsDropped.incrementAndGet();
                log.warn("overload", "Webhook thread is behind by " + settings.inboxLimit() + " events; dropping events");
                return;
            }
            inbox.offer(new Inbound(app, event, flag, mode));
            if (drainScheduled.compareAndSet(false, true)) {
                thread.execute(this::drain);
            }
        } catch (RejectedExecutionException closing) {
            // close() raced us: never batched, so only counted as a lost event
            stats.eventsDropped.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.error("Webhook listener failed", e);
        }
    }

    // ------------------------------------------------------------------ webhook thread

    private void drain() {
        drainScheduled.set(false);
        int n = 0;
        Inbound in;
        while ((in = inbox.poll()) != null) {
            inboxSize.decrementAndGet();
            try {
                handle(in.app(), in.event(), in.flag(), in.mode());
            } catch (RuntimeException e) {
                LOG.error("Webhook event {} of app {} failed", in.event().type().wireName(), in.app().id(), e);
            }
            if (++n >= DRAIN_CHUNK) {
                if (!inbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
                    delivery.onWebhookThread(this::drain);
                }
                return;
            }
        }
    }

    private void handle(AppConfig app, WebhookEvent e, boolean flag, LeaveDelay.Mode mode) {
        WebhookEventType type = e.type();
        if (LeaveDelay.isLeave(type)) {
            leaveDelay.leave(app, e, mode);
        } else if (LeaveDelay.isJoin(type)) {
            if (flag) {
                leaveDelay.cancelledInState(app, e);
            } else if (!leaveDelay.join(app, e)) {
                emit(app, e);
            }
        } else if (type == WebhookEventType.CACHE_MISS) {
            if (cacheMisses.allow(app.id(), e.channel())) {
                emit(app, e);
            } else {
                stats.cacheMissesSuppressed.incrementAndGet();
            }
        } else {
            emit(app, e);
        }
    }

    /** Hands {@code e} to every target of the app that wants it; the payload is built once for all of them. */
    private void emit(AppConfig app, WebhookEvent e) {
        Map<String, Object> payload = null;
        for (WebhookTarget t : targets.of(app)) {
            if (t.accepts(e)) {
                if (payload == null) {
                    payload = e.payload();
                }
                t.add(payload);
            }
        }
        EngineListener t = tap;
        if (payload != null && t != EngineListener.NONE) {
            t.on(new EngineEvent.EventPublished(app, e.channel(), e.type().wireName(),
                    WireCodec.writeBytes(payload).length, EngineEvent.Origin.WEBHOOK));
        }
    }

    private void settled() {
        if (closeWaiter != null && allIdle()) {
            closeWaiter.complete(null);
        }
    }

    private boolean allIdle() {
        for (WebhookTarget t : targets.all()) {
            if (!t.idle()) {
                return false;
            }
        }
        for (DeliveryLane l : delivery.lanes()) {
            if (!l.idle()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Stops taking events, sends what is held (leave events and open batches, at once) and waits up to the close
     * grace for those deliveries; whatever is left stays in a durable queue (for another node, or the next start)
     * or is counted as dropped on close. Then stops both threads.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> idle = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                drain();
                delivery.closing = true;
                closeWaiter = idle;
                leaveDelay.flushAll(settings.closeGraceMillis() / 2);
                for (WebhookTarget t : targets.all()) {
                    t.seal();
                }
                settled();
            });
            idle.get(settings.closeGraceMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Webhooks still in flight after {} ms at shutdown; counting them as dropped",
                    settings.closeGraceMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Webhook shutdown: {}", e.toString());
        }
        thread.shutdownNow();
        try {
            if (thread.awaitTermination(1, TimeUnit.SECONDS)) {
                // the webhook thread is gone: its state is ours to read
                for (WebhookTarget t : targets.all()) {
                    t.abandon();
                }
                for (DeliveryLane l : delivery.lanes()) {
                    l.abandon();
                }
                int left = inboxSize.getAndSet(0);
                inbox.clear();
                stats.eventsDropped.addAndGet(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
        try {
            queue.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the webhook queue: {}", e.toString());
        }
    }
}
