package dev.switchboard.server.dashboard;

import dev.switchboard.server.access.BearerToken;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.edge.HttpCall;
import dev.switchboard.server.edge.HttpPort;
import dev.switchboard.server.edge.HttpReply;
import dev.switchboard.server.edge.HttpRoute;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.logging.RateLimitedLog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's dashboard: the page at {@code /dashboard/}, its token-guarded API under
 * {@code /dashboard/api/}, and one thread that samples throughput each second and pushes the live streams.
 * Made before the engine (its {@link #listener()} goes into the engine), {@link #start started} with it.
 * {@link #answer} is the one error boundary: it never throws, and without the token nothing of an app is
 * answered.
 */
public final class Dashboard implements AutoCloseable, HttpPort {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
    /** Per request, and per run of a task that runs every second. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);
    /** How often the console's queued events are pushed: often enough to feel live, few writes per second. */
    private static final long FLUSH_MILLIS = 250;
    private static final String PREFIX = "/dashboard";
    private static final String API = "/dashboard/api/";

    private final BearerToken token;
    private final Throughput throughput;
    private final ConsoleFeed feed;
    private final StaticFiles files = new StaticFiles();
    private final EngineListener listener;
    /** The longest ban the terminate button may set, as the HTTP API's. */
    private final int maxBanSeconds;
    private volatile DashboardApi api;
    private volatile LiveStreams streams;
    private ScheduledExecutorService thread;

    private Dashboard(ServerConfig config) {
        this.token = BearerToken.of(config.dashboardToken());
        this.throughput = new Throughput();
        this.feed = new ConsoleFeed(config.dashboardConsoleEventsPerSecond());
        this.listener = EngineListener.of(throughput, feed);
        this.maxBanSeconds = config.maxBanSeconds();
    }

    public static Dashboard create(ServerConfig config) {
        return new Dashboard(config);
    }

    /** Counts messages for the chart and taps the events for the console. */
    public EngineListener listener() {
        return listener;
    }

    public synchronized Dashboard start(Engine engine) {
        LiveStreams s = new LiveStreams(engine, throughput, feed);
        this.streams = s;
        this.api = new DashboardApi(engine, throughput, s, maxBanSeconds);
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-dashboard");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(guarded(() -> {
            throughput.tick();
            s.everySecond();
        }), 1, 1, TimeUnit.SECONDS);
        thread.scheduleAtFixedRate(guarded(s::flushEvents), FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Logs where to open the dashboard; the URL carries the token when it was made at start. */
    public void logAddress(String host, int port) {
        String h = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        String url = "http://" + h + ":" + port + PREFIX + "/";
        if (token.generated()) {
            log.info("Dashboard: {}#token={} (random token for this run; set dashboard_token to keep one)",
                    url, token.value());
        } else {
            log.info("Dashboard: {} (token from dashboard_token)", url);
        }
    }

    /** The dashboard's rows of the edge's route table: {@code /dashboard} and everything under it, every method. */
    public List<HttpRoute> routes() {
        return List.of(HttpRoute.at(PREFIX, this), HttpRoute.under(PREFIX + "/", this));
    }

    /** Never throws, never completes exceptionally. */
    @Override
    public CompletionStage<HttpReply> answer(HttpCall request) {
        try {
            return route(request).exceptionally(e -> failed(request, e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(request, e));
        }
    }

    private CompletableFuture<HttpReply> route(HttpCall request) {
        String path = request.path();
        String method = request.method();
        if (path.startsWith(API) || path.equals(PREFIX + "/api")) {
            // The token is checked before anything else, so that not even an app's existence is told without it.
            if (!token.accepts(request.authorization())) {
                return CompletableFuture.completedFuture(DashboardReplies.unauthorized());
            }
            DashboardApi a = api;
            if (a == null) {
                return CompletableFuture.completedFuture(DashboardReplies.error(503, "Starting"));
            }
            String rest = path.length() > API.length() ? path.substring(API.length()) : "";
            return a.handle(method, rest, request.body()).toCompletableFuture();
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return CompletableFuture.completedFuture(DashboardReplies.error(405, "Method not allowed"));
        }
        if (path.equals(PREFIX)) {
            return CompletableFuture.completedFuture(new HttpReply(301, "text/plain; charset=utf-8",
                    new byte[0], java.util.Map.of("Location", PREFIX + "/"), null));
        }
        HttpReply file = files.get(path.substring(PREFIX.length() + 1));
        return CompletableFuture.completedFuture(file != null ? file : DashboardReplies.error(404, "Not found"));
    }

    private static HttpReply failed(HttpCall request, Throwable e) {
        limitedLog.error("request-failed", "Dashboard request {} {} failed", request.method(), request.path(), e);
        return DashboardReplies.error(500, "Internal server error");
    }

    private static Runnable guarded(Runnable task) {
        // A periodic task that throws is never run again: log and keep the dashboard alive.
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                limitedLog.error("task-failed", "Dashboard task failed", e);
            }
        };
    }

    /** Ends every live stream (so shutdown does not wait for open pages) and stops the thread. */
    @Override
    public synchronized void close() {
        LiveStreams s = streams;
        if (s != null) {
            s.closeAll();
        }
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
