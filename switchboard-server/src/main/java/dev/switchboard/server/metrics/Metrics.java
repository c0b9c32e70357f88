package dev.switchboard.server.metrics;

import dev.switchboard.server.cluster.ClusterTraffic;
import dev.switchboard.server.api.ApiRateLimits;
import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.engine.ClusterNode;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineEvent;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.webhooks.AppWebhookStats;
import dev.switchboard.server.webhooks.WebhookStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics per app (served at {@code /metrics}): connections, subscriptions, channels, online
 * users, messages and bytes in and out, deliveries, slow consumers, sign-ins, HTTP API answers by status.
 * Counting on the hot path is one map lookup and adder increments; nothing here allocates per delivery.
 */
public final class Metrics implements EngineListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AppMeters> apps = new ConcurrentHashMap<>();

    /** Registers the gauges that read the engine's state, for its apps now and those that appear later. */
    public void bind(Engine engine) {
        engine.watchApps(app -> {
            String id = app.config().id();
            Gauge.builder("switchboard_connections", app, AppEngine::connectionCount)
                    .description("Open WebSocket connections").tag("app", id).register(registry);
            Gauge.builder("switchboard_channels", app, AppEngine::channelCount)
                    .description("Occupied channels").tag("app", id).register(registry);
            Gauge.builder("switchboard_users_online", app, AppEngine::onlineUserCount)
                    .description("Users with a signed-in connection").tag("app", id).register(registry);
            meters(app.config());
        });
    }

    /** The apps database: reachable or not, apps cached, look-ups it could not answer. */
    public void bind(AppRegistry apps) {
        Gauge.builder("switchboard_apps_db_up", apps, a -> a.databaseUp() ? 1 : 0)
                .description("1 while the apps database (and on PostgreSQL its change feed) is reachable, else 0")
                .register(registry);
        Gauge.builder("switchboard_apps_db_cached", apps, AppRegistry::cachedApps)
                .description("Apps from the database held in the cache").register(registry);
        FunctionCounter.builder("switchboard_apps_db_unavailable_lookups", apps, AppRegistry::unavailableLookups)
                .description("App look-ups answered from the cache or as unknown because the database was down")
                .register(registry);
        FunctionCounter.builder("switchboard_apps_db_misses_served", apps, AppRegistry::missesServed)
                .description("App look-ups answered as unknown from a remembered miss (apps_miss_ttl_seconds), no query")
                .register(registry);
        FunctionCounter.builder("switchboard_apps_db_lookups_rate_limited", apps, AppRegistry::lookupsRateLimited)
                .description("App look-ups refused: the client address used max_apps_db_lookups_per_ip_per_second")
                .register(registry);
    }

    /** This node's cluster: its id (as a tag), live nodes, whether degraded, and its traffic with Redis. */
    public void bind(ClusterNode node, ClusterTraffic traffic) {
        Gauge.builder("switchboard_cluster_node", () -> 1).description("This node; its id is the node tag")
                .tag("node", node.nodeId()).register(registry);
        Gauge.builder("switchboard_cluster_live_nodes", node, ClusterNode::liveNodes)
                .description("Live nodes of the cluster, this one included").register(registry);
        Gauge.builder("switchboard_cluster_degraded", node, n -> n.degradedReason() == null ? 0 : 1)
                .description("1 while the node cannot reach the shared store and serves only its own clients")
                .register(registry);
        FunctionCounter.builder("switchboard_redis_round_trips", traffic, ClusterTraffic::roundTrips)
                .description("Commands and scripts sent to Redis").register(registry);
        FunctionCounter.builder("switchboard_redis_pubsub_messages_in", traffic, ClusterTraffic::messagesIn)
                .description("Pub/sub messages received from other nodes").register(registry);
        FunctionCounter.builder("switchboard_redis_pubsub_messages_out", traffic, ClusterTraffic::messagesOut)
                .description("Pub/sub messages published for other nodes").register(registry);
        FunctionCounter.builder("switchboard_redis_reconnects", traffic, ClusterTraffic::reconnects)
                .description("Redis back after an outage, or a silent link re-made").register(registry);
    }

    /** The webhook dispatcher's counters (server-wide): sent, failed attempts, and every kind of drop. */
    /**
     * The webhook dispatcher's counters: server-wide (sent, failed attempts, every kind of drop), and per app
     * with webhooks: batches sent, batches dropped, failed attempts by reason.
     */
    public void bind(WebhookStats stats, Collection<AppConfig> apps) {
        bind(stats);
        for (AppConfig app : apps) {
            if (app.webhooks().isEmpty()) {
                continue;
            }
            AppWebhookStats s = stats.app(app.id());
            FunctionCounter.builder("switchboard_webhook_app_batches_sent", s, AppWebhookStats::batchesSent)
                    .description("Webhook POSTs of the app answered 2xx").tag("app", app.id()).register(registry);
            FunctionCounter.builder("switchboard_webhook_app_batches_dropped", s, AppWebhookStats::batchesDropped)
                    .description("Webhook batches of the app given up (retry window over, queue full, shutdown)")
                    .tag("app", app.id()).register(registry);
            for (AppWebhookStats.Failure f : AppWebhookStats.Failure.values()) {
                FunctionCounter.builder("switchboard_webhook_app_failed_attempts", s, x -> x.failedAttempts(f))
                        .description("Webhook POSTs of the app that failed, by reason (each retried with back-off)")
                        .tag("app", app.id()).tag("reason", f.label()).register(registry);
            }
        }
    }

    /** The webhook dispatcher's server-wide counters: sent, failed attempts, and every kind of drop. */
    public void bind(WebhookStats stats) {
        webhookCounter(stats, "switchboard_webhook_batches_sent", "Webhook POSTs answered 2xx", WebhookStats::batchesSent);
        webhookCounter(stats, "switchboard_webhook_events_sent", "Webhook events delivered", WebhookStats::eventsSent);
        webhookCounter(stats, "switchboard_webhook_failed_attempts", "Webhook POSTs that failed: any non-2xx, timeout or connection error (retried)",
                WebhookStats::failedAttempts);
        webhookCounter(stats, "switchboard_webhook_events_dropped", "Webhook events dropped (queue full, retry window over, unusable URL, shutdown, overload)",
                WebhookStats::eventsDropped);
        webhookCounter(stats, "switchboard_webhook_batches_kept", "Webhook batches kept by the durable queue (Redis streams, or the journal) before their first attempt",
                WebhookStats::batchesKept);
        webhookCounter(stats, "switchboard_webhook_batches_claimed", "Webhook batches taken over: claimed from a node whose lease expired, or replayed from the journal",
                WebhookStats::batchesClaimed);
        webhookCounter(stats, "switchboard_webhook_batches_redelivered", "Webhook batches taken over and delivered (2xx) by this node",
                WebhookStats::batchesRedelivered);
        webhookCounter(stats, "switchboard_webhook_batches_left_kept", "Webhook batches undelivered at shutdown and left in the durable queue for another node or the next start",
                WebhookStats::batchesLeftKept);
        Gauge.builder("switchboard_webhook_queued_batches", stats, WebhookStats::queuedBatches)
                .description("Webhook batches waiting to be sent").register(registry);
    }

    private void webhookCounter(WebhookStats stats, String name, String description,
                                java.util.function.ToLongFunction<WebhookStats> read) {
        FunctionCounter.builder(name, stats, s -> read.applyAsLong(s)).description(description).register(registry);
    }

    /** 429 answers of the HTTP API per app, from {@code max_api_requests_per_second}. */
    public void bind(Engine engine, ApiRateLimits limits) {
        for (AppEngine app : engine.apps()) {
            String id = app.config().id();
            FunctionCounter.builder("switchboard_api_rate_limited", limits, l -> l.refusals(id))
                    .description("HTTP API requests answered 429 by max_api_requests_per_second")
                    .tag("app", id).register(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    /** One HTTP API answer; {@code appId} may be null for requests that named no known app. */
    public void httpResponse(String appId, int status) {
        Counter.builder("switchboard_http_requests").description("HTTP API requests by status")
                .tag("app", appId == null ? "" : appId).tag("status", Integer.toString(status))
                .register(registry).increment();
    }

    private AppMeters meters(AppConfig app) {
        return apps.computeIfAbsent(app.id(), id -> new AppMeters(registry, id));
    }

    /** The engine's events that count, most frequent first (a frame in comes with every client message). */
    @Override
    public void on(EngineEvent e) {
        if (e instanceof EngineEvent.MessageIn in) {
            AppMeters m = meters(in.app());
            m.messagesIn.increment();
            m.bytesIn.increment(in.bytes());
        } else if (e instanceof EngineEvent.ClientEvent) {
            meters(e.app()).clientEvents.increment();
        } else if (e instanceof EngineEvent.Subscribed) {
            meters(e.app()).subscriptions.incrementAndGet();
        } else if (e instanceof EngineEvent.Unsubscribed) {
            meters(e.app()).subscriptions.decrementAndGet();
        } else if (e instanceof EngineEvent.ConnectionOpened) {
            meters(e.app()).connectionsOpened.increment();
        } else if (e instanceof EngineEvent.SignedIn) {
            meters(e.app()).signins.increment();
        } else if (e instanceof EngineEvent.SlowConsumerClosed) {
            meters(e.app()).slowConsumers.increment();
        } else if (e instanceof EngineEvent.ChannelLimitReached) {
            meters(e.app()).channelLimitRefusals.increment();
        } else if (e instanceof EngineEvent.SubscriptionChangeRefused) {
            meters(e.app()).subscriptionChangeRefusals.increment();
        } else if (e instanceof EngineEvent.UserTerminated) {
            meters(e.app()).terminations.increment();
        } else if (e instanceof EngineEvent.UserConnectionLimitReached) {
            meters(e.app()).userLimitRefusals.increment();
        } else if (e instanceof EngineEvent.SignInBanned) {
            meters(e.app()).banRefusals.increment();
        } else if (e instanceof EngineEvent.InboxKept k) {
            AppMeters m = meters(k.app());
            m.inboxKept.increment();
            m.inboxDropped.increment(k.dropped());
        } else if (e instanceof EngineEvent.InboxDrained d) {
            AppMeters m = meters(d.app());
            m.inboxDelivered.increment(d.delivered());
            m.inboxExpired.increment(d.expired());
        } else if (e instanceof EngineEvent.ResumeReplayed r) {
            meters(r.app()).resumeReplayed.increment(r.events());
        } else if (e instanceof EngineEvent.ResumeIncomplete i) {
            AppMeters m = meters(i.app());
            m.resumeIncomplete.increment();
            m.resumeLost.increment(i.lost());
        }
    }

    @Override
    public void delivered(AppConfig app, int recipients, int bytes) {
        AppMeters m = meters(app);
        m.deliveries.increment(recipients);
        m.bytesOut.increment((double) recipients * bytes);
    }

    /** The meters of one app, made once. */
    private static final class AppMeters {
        final Counter connectionsOpened;
        final Counter messagesIn;
        final Counter bytesIn;
        final Counter deliveries;
        final Counter bytesOut;
        final Counter clientEvents;
        final Counter signins;
        final Counter slowConsumers;
        final Counter terminations;
        final Counter channelLimitRefusals;
        final Counter subscriptionChangeRefusals;
        final Counter inboxKept;
        final Counter userLimitRefusals;
        final Counter banRefusals;
        final Counter inboxDelivered;
        final Counter inboxExpired;
        final Counter inboxDropped;
        final Counter resumeReplayed;
        final Counter resumeIncomplete;
        final Counter resumeLost;
        final AtomicLong subscriptions = new AtomicLong();

        AppMeters(MeterRegistry r, String app) {
            connectionsOpened = counter(r, app, "switchboard_connections_opened", "Connections accepted");
            messagesIn = counter(r, app, "switchboard_messages_in", "Frames received from clients");
            bytesIn = counter(r, app, "switchboard_bytes_in", "Bytes received from clients");
            deliveries = counter(r, app, "switchboard_deliveries", "Frames written to subscriber sockets by fan-out");
            bytesOut = counter(r, app, "switchboard_bytes_out", "Bytes written to sockets by fan-out");
            clientEvents = counter(r, app, "switchboard_client_events", "Client events relayed");
            signins = counter(r, app, "switchboard_signins", "Successful pusher:signin");
            slowConsumers = counter(r, app, "switchboard_slow_consumers_closed", "Sockets closed for not reading");
            terminations = counter(r, app, "switchboard_user_terminations", "Users terminated through the API");
            channelLimitRefusals = counter(r, app, "switchboard_channel_limit_refusals",
                    "Subscribes refused by max_channels_per_connection");
            subscriptionChangeRefusals = counter(r, app, "switchboard_subscription_changes_refused",
                    "Subscribes and unsubscribes refused by max_subscription_changes_per_second");
            userLimitRefusals = counter(r, app, "switchboard_user_connection_limit_refusals",
                    "Sign-ins refused by max_connections_per_user");
            banRefusals = counter(r, app, "switchboard_signin_ban_refusals",
                    "Sign-ins the auth endpoint signed, refused because the user is banned");
            inboxKept = counter(r, app, "switchboard_inbox_kept", "Events kept for a user with no signed-in connection");
            inboxDelivered = counter(r, app, "switchboard_inbox_delivered", "Kept events delivered at the user's sign-in");
            inboxExpired = counter(r, app, "switchboard_inbox_expired", "Kept events found past user_inbox_ttl_seconds");
            inboxDropped = counter(r, app, "switchboard_inbox_dropped",
                    "Kept events dropped, oldest first, past user_inbox_max_events");
            resumeReplayed = counter(r, app, "switchboard_resume_replayed",
                    "Channel events replayed to a resuming signed-in user's connection");
            resumeIncomplete = counter(r, app, "switchboard_resume_incomplete",
                    "Resumes whose gap the channel's window no longer covered (switchboard:resume_incomplete sent)");
            resumeLost = counter(r, app, "switchboard_resume_lost", "Events such resumes could not replay");
            Gauge.builder("switchboard_subscriptions", subscriptions, AtomicLong::get)
                    .description("Channel subscriptions").tag("app", app).register(r);
        }

        private static Counter counter(MeterRegistry r, String app, String name, String description) {
            return Counter.builder(name).description(description).tag("app", app).register(r);
        }
    }
}
