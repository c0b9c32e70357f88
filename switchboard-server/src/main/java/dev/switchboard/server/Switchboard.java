package dev.switchboard.server;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.api.HttpApi;
import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.LocalCluster;
import dev.switchboard.server.cluster.redis.RedisCluster;
import dev.switchboard.server.cluster.redis.RedisSettings;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.dashboard.Dashboard;
import dev.switchboard.server.edge.EdgeCounters;
import dev.switchboard.server.edge.EdgeMeters;
import dev.switchboard.server.edge.EdgeServer;
import dev.switchboard.server.edge.HttpRoute;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.engine.EngineSessions;
import dev.switchboard.server.engine.ShutdownDrain;
import dev.switchboard.server.metrics.Metrics;
import dev.switchboard.server.metrics.MetricsEndpoint;
import dev.switchboard.server.webhooks.WebhookDispatcher;
import dev.switchboard.server.webhooks.WebhookJournal;
import dev.switchboard.server.webhooks.WebhookQueue;
import dev.switchboard.server.webhooks.WebhookStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: config → adapter → engine → HTTP API → edge. {@link #start} returns once the port is
 * listening; {@link #close} drains gracefully (health 503 and new WebSockets refused until the end, every
 * WebSocket closed with 4200 spread over {@code shutdown_drain_seconds} so that the other nodes take the
 * reconnects as a ramp, then in-flight HTTP requests and closing sockets get {@code shutdown_grace_seconds})
 * and is idempotent.
 */
public final class Switchboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

    private final ServerConfig config;
    private final Cluster cluster;
    private final AppRegistry apps;
    private final Engine engine;
    private final EdgeServer edge;
    private final WebhookDispatcher webhooks;
    private final Dashboard dashboard;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private Switchboard(ServerConfig config, Cluster cluster, AppRegistry apps, Engine engine, EdgeServer edge,
                        WebhookDispatcher webhooks, Dashboard dashboard) {
        this.dashboard = dashboard;
        this.config = config;
        this.cluster = cluster;
        this.apps = apps;
        this.engine = engine;
        this.edge = edge;
        this.webhooks = webhooks;
    }

    /** Starts alone (the local cluster), no extra listener and no metrics endpoint. */
    public static Switchboard start(ServerConfig config) {
        return builder(config).start();
    }

    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /**
     * The start-up warm-up is over (a node built {@link Builder#warming warming}): {@code /up} answers 200 from now on
     * (until a drain).
     */
    public void warmed() {
        edge.warming(false);
    }

    /** The port actually bound (a free one when the config says 0). */
    public int port() {
        return edge.port();
    }

    /** The metrics listener's port, or -1 when there is none. */
    public int metricsPort() {
        return edge.metricsPort();
    }

    /** The port that speaks TLS (the main one or tls_port), or -1 without TLS. */
    public int tlsPort() {
        return edge.tlsPort();
    }

    /**
     * Loads tls_cert and tls_key again for new handshakes (SIGHUP does this); open connections are untouched.
     * False when there is no TLS or the files cannot be used (the old certificate stays).
     */
    public boolean reloadTls() {
        return edge.tls() != null && edge.tls().reload();
    }

    public ServerConfig config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    /** This node's id and view of its cluster. */
    public dev.switchboard.server.engine.ClusterNode node() {
        return cluster.node();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return edge.transport();
    }

    public WebhookStats webhookStats() {
        return webhooks.stats();
    }

    public EdgeCounters edgeCounters() {
        return edge.counters();
    }

    /** Open client-port sockets, WebSocket and HTTP. */
    public int openSockets() {
        return edge.openChannels();
    }

    /** Whether each open socket has TCP_NODELAY on (see {@link EdgeServer#socketsTcpNoDelay()}). */
    public List<Boolean> socketsTcpNoDelay() {
        return edge.socketsTcpNoDelay();
    }

    /** Each open socket's handler classes, by simple name (see {@link EdgeServer#socketHandlers()}). */
    public List<List<String>> socketHandlers() {
        return edge.socketHandlers();
    }

    /** Upgraded WebSockets the node holds, as {@code max_node_connections} counts them. */
    public int openWebSockets() {
        return edge.openWebSockets();
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                // Idempotent; a second caller (e.g. the shutdown hook after a test's close) waits for the first.
                awaitUninterruptibly();
                return;
            }
            closing = true;
        }
        try {
            log.info("Switchboard shutting down: closing {} sockets with {} over {} s", edge.openChannels(),
                    CloseCode.RECONNECT.code(), config.shutdownDrainSeconds());
            edge.beginDrain();
            if (dashboard != null) {
                // Open dashboard pages hold a never-ending response; end them so that draining does not wait.
                dashboard.close();
            }
            try {
                ShutdownDrain.closeSpread(engine.openPeers(), CloseCode.RECONNECT, "Server shutting down",
                        TimeUnit.SECONDS.toMillis(config.shutdownDrainSeconds()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("Draining connections failed", e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.shutdownGraceSeconds());
            try {
                // Sockets whose handshake was under way when the drain took its list.
                engine.closeAll(CloseCode.RECONNECT, "Server shutting down");
            } catch (RuntimeException e) {
                log.error("Closing connections failed", e);
            }
            try {
                if (!edge.awaitDrained(deadline)) {
                    log.warn("Shutdown grace of {} s over with {} sockets open; closing them",
                            config.shutdownGraceSeconds(), edge.openChannels());
                }
                awaitLeavesDecided(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            edge.stop();
            try {
                // After the edge stopped: the sockets' leave events are queued by now and get sent.
                webhooks.close();
            } catch (RuntimeException e) {
                log.error("Closing webhooks failed", e);
            }
            try {
                cluster.close();
            } catch (RuntimeException e) {
                log.error("Leaving the cluster failed", e);
            }
            try {
                apps.close();
            } catch (RuntimeException e) {
                log.error("Closing the apps database failed", e);
            }
            log.info("Switchboard stopped");
        } finally {
            closed.countDown();
        }
    }

    /**
     * A closed socket leaves its channels and signs out through the shared state; on a cluster node that answer
     * comes from Redis after the socket is gone, and the events it decides (member_removed, channel_vacated,
     * watchlist offline) are sent from the socket's event loop, so the loops must outlive it. The engine forgets
     * a connection once its leaves are decided.
     */
    private void awaitLeavesDecided(long deadline) throws InterruptedException {
        while (engine.connectionCount() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a node is started with besides its config; every part optional. */
    public static final class Builder {
        private final ServerConfig config;
        private Cluster cluster;
        private EngineListener listener = EngineListener.NONE;
        private Supplier<String> metrics;
        private boolean warming;

        private Builder(ServerConfig config) {
            this.config = config;
        }

        /** The cluster seam's implementations; alone (local) when not set. */
        public Builder cluster(Cluster value) {
            this.cluster = value;
            return this;
        }

        /**
         * Listens with {@code /up} answering 503 until {@link Switchboard#warmed} (the start-up warm-up runs while
         * the node listens, so that what it compiles is compiled after the node's own start; a load balancer sends
         * nobody meanwhile, a client that comes all the same is served).
         */
        public Builder warming(boolean value) {
            this.warming = value;
            return this;
        }

        /** Webhooks, metrics: see {@link EngineListener#of} to combine several. */
        public Builder listener(EngineListener value) {
            this.listener = value == null ? EngineListener.NONE : value;
            return this;
        }

        /**
         * Text served at {@code GET /metrics} instead of the built-in Prometheus registry (which serves it when
         * {@code metrics_enabled}); with neither that path is 404.
         */
        public Builder metrics(Supplier<String> value) {
            this.metrics = value;
            return this;
        }

        /**
         * Binds and returns once listening; {@link IllegalStateException} when the port cannot be bound or the
         * apps database cannot be read (or holds an app clashing with the config's).
         */
        public Switchboard start() {
            AppRegistry apps = AppRegistry.start(config);
            try {
                return start(apps);
            } catch (RuntimeException e) {
                apps.close();
                throw e;
            }
        }

        private Switchboard start(AppRegistry apps) {
            Cluster a = cluster != null ? cluster : clusterFor(config);
            Metrics prometheus = config.metricsEnabled() ? new Metrics() : null;
            WebhookDispatcher webhooks = new WebhookDispatcher(config, webhookQueue(a, config)).start();
            Dashboard dashboard = config.dashboardEnabled() ? Dashboard.create(config) : null;
            EngineListener tap = dashboard == null ? EngineListener.NONE : dashboard.listener();
            webhooks.tap(tap);
            // held leaves are confirmed where the engine decides them (docs/webhooks.md)
            webhooks.confirmWith(a.state().heldLeaves());
            EngineListener all = prometheus == null ? EngineListener.of(webhooks, tap, listener)
                    : EngineListener.of(webhooks, prometheus, tap, listener);
            Engine engine = new Engine(config, apps, a.broker(), a.state(), all, System::currentTimeMillis).start();
            if (dashboard != null) {
                dashboard.start(engine);
            }
            HttpApi api = new HttpApi(engine, config,
                    prometheus == null ? HttpApi.AnswerCounter.NONE : prometheus::httpResponse);
            Supplier<String> scrape = metrics;
            if (prometheus != null) {
                prometheus.bind(engine);
                prometheus.bind(webhooks.stats(), config.apps());
                prometheus.bind(engine, api.rateLimits());
                prometheus.bind(a.node(), a.traffic());
                if (apps.hasDatabase()) {
                    prometheus.bind(apps);
                }
                if (scrape == null) {
                    scrape = prometheus::scrape;
                }
            }
            List<HttpRoute> routes = new ArrayList<>();
            routes.add(api.route());
            if (dashboard != null) {
                routes.addAll(dashboard.routes());
            }
            routes.add(MetricsEndpoint.onClientPort(scrape, config));
            EngineSessions sessions = new EngineSessions(engine, all);
            EdgeServer edge = new EdgeServer(config, sessions, routes, MetricsEndpoint.onItsOwnPort(scrape), a.node(),
                    apps.hasDatabase() ? apps::databaseUp : null);
            sessions.onOriginRefused(edge.counters().originsRefused::increment);
            if (prometheus != null) {
                EdgeMeters.register(prometheus.registry(), edge.counters());
            }
            edge.warming(warming);
            try {
                edge.start();
            } catch (RuntimeException e) {
                if (dashboard != null) {
                    dashboard.close();
                }
                throw e;
            }
            Switchboard node = new Switchboard(config, a, apps, engine, edge, webhooks, dashboard);
            StartupLog.started(config, a.node(), edge, dashboard);
            return node;
        }

        /**
         * Where webhook batches are kept until delivered (docs/webhooks.md): Redis streams on a cluster, else the
         * journal in webhook_journal_dir when set, else memory only.
         */
        private static WebhookQueue webhookQueue(Cluster cluster, ServerConfig config) {
            if (cluster instanceof RedisCluster redis) {
                return redis.webhookQueue();
            }
            if (!config.webhookJournalDir().isEmpty()) {
                return WebhookJournal.open(Path.of(config.webhookJournalDir()));
            }
            return WebhookQueue.MEMORY;
        }

        /** A cluster member on a Redis Cluster (redis_cluster) or on one Redis (redis_url), else alone. */
        private static Cluster clusterFor(ServerConfig config) {
            if (!config.redisCluster().isEmpty()) {
                return new RedisCluster(new RedisSettings(config.redisCluster(), config.redisPrefix(),
                        config.clusterHeartbeatMillis(), config.clusterNodeTimeoutMillis(), true,
                        config.redisPresenceHoldMillis()));
            }
            if (!config.redisUrl().isEmpty()) {
                return new RedisCluster(new RedisSettings(config.redisUrl(), config.redisPrefix(),
                        config.clusterHeartbeatMillis(), config.clusterNodeTimeoutMillis()));
            }
            return new LocalCluster(System::currentTimeMillis);
        }
    }
}
