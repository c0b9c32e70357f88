package dev.switchboard.server.api;

import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.edge.HttpCall;
import dev.switchboard.server.edge.HttpPort;
import dev.switchboard.server.edge.HttpReply;
import dev.switchboard.server.edge.HttpRoute;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.limits.TokenBucket;
import dev.switchboard.server.logging.RateLimitedLog;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import dev.switchboard.server.engine.StateUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code /apps/{app_id}/…} requests to one endpoint each, after verifying the signature
 * (PROTOCOL.md §6, docs/http-api.md): the edge's {@link HttpPort} under {@code /apps/}. The one boundary where
 * refusals become {@code {"error":"…"}} answers: nothing escapes {@link #answer} or {@link #handle}, and unexpected failures are
 * logged and answered with a 500. Each answer is counted by app and status ({@link AnswerCounter}).
 *
 * <p>Order of checks: route (404/405), body size (413), app (404), credentials (401), app enabled (403), the
 * app's request rate (429, {@code max_api_requests_per_second}), then the endpoint's own validation (400/413/404).
 */
public final class HttpApi implements HttpPort {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    /** Per request: a cluster outage or a bug hit by every request must not log once per request. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);
    private static final byte[] NO_BODY = new byte[0];

    private final Engine engine;
    private final ServerConfig config;
    private final RequestVerifier verifier;
    private final Router router;
    private final ApiRateLimits rateLimits;
    private final AnswerCounter counter;

    /** Told of every answer of {@link #answer}. */
    @FunctionalInterface
    public interface AnswerCounter {
        AnswerCounter NONE = (appId, status) -> {};

        /** @param appId the app the request named when it is one this node knows (only those become labels), else null */
        void answered(String appId, int status);
    }

    public HttpApi(Engine engine, ServerConfig config, AnswerCounter counter) {
        this(engine, config, Clock.systemUTC(), System::nanoTime, counter);
    }

    /** With an injected clock, for the timestamp window, cache TTLs and request budgets in tests. */
    HttpApi(Engine engine, ServerConfig config, Clock clock) {
        this(engine, config, clock, () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()), AnswerCounter.NONE);
    }

    private HttpApi(Engine engine, ServerConfig config, Clock clock, LongSupplier nanoClock, AnswerCounter counter) {
        this.engine = engine;
        this.counter = counter;
        this.config = config;
        this.verifier = new RequestVerifier(config.timestampSkewSeconds(), clock);
        this.rateLimits = new ApiRateLimits(config, nanoClock);
        this.router = new Router()
                .add("POST", "apps/{app_id}/events", new TriggerEventEndpoint())
                .add("POST", "apps/{app_id}/batch_events", new TriggerBatchEndpoint())
                .add("GET", "apps/{app_id}/channels", new ListChannelsEndpoint())
                .add("GET", "apps/{app_id}/channels/{channel_name}", new ChannelInfoEndpoint(clock))
                .add("GET", "apps/{app_id}/channels/{channel_name}/users", new ChannelUsersEndpoint())
                .add("POST", "apps/{app_id}/users/{user_id}/terminate_connections",
                        new TerminateUserConnectionsEndpoint(config.maxBanSeconds()))
                .add("DELETE", "apps/{app_id}/users/{user_id}/ban", new LiftBanEndpoint())
                .add("POST", "apps/{app_id}/users/{user_id}/reconnect", new ReconnectUserEndpoint())
                .add("GET", "apps/{app_id}/users", new ListUsersEndpoint())
                .add("GET", "apps/{app_id}/users/{user_id}", new GetUserEndpoint())
                .add("PUT", "apps/{app_id}/users/{user_id}", new UpdateUserInfoEndpoint())
                .add("DELETE", "apps/{app_id}/users/{user_id}", new DeleteUserEndpoint())
                .add("GET", "apps/{app_id}/users/{user_id}/inbox", new InboxEndpoint())
                .add("DELETE", "apps/{app_id}/users/{user_id}/inbox", new ClearInboxEndpoint());
    }

    /** The per-app request budgets and their refusal counts. */
    public ApiRateLimits rateLimits() {
        return rateLimits;
    }

    /** The API's row of the edge's route table. */
    public HttpRoute route() {
        return HttpRoute.under("/apps/", this);
    }

    /**
     * Never fails: every problem is a 4xx with a JSON body, a shared state that cannot answer a 503. Runs on an event
     * loop (or on the apps registry's thread that has just read the request's app: the app is then cached) and
     * never blocks; the answer completes at once on one node, after the shared state answered on a cluster. The
     * target is the edge's split, decoded here once for routing, the signature and the count.
     */
    @Override
    public CompletionStage<HttpReply> answer(HttpCall call) {
        RequestTarget target;
        try {
            target = RequestTarget.of(call.path(), call.query());
        } catch (Exception | StackOverflowError e) {
            return CompletableFuture.completedFuture(counted(null, refusal(call.method(), call.path(), e)));
        }
        String appId = target.appId();
        return answer(call.method(), call.path(), target, call.body(), call.clientAddress())
                .thenApply(response -> counted(appId, response));
    }

    /** The same for a request given whole (its target still to be split), as tests and tools send one; not counted. */
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        String path = request == null ? null : pathOnly(request.uri());
        RequestTarget target;
        try {
            target = RequestTarget.parse(request.uri());
        } catch (Exception | StackOverflowError e) {
            return CompletableFuture.completedFuture(refusal(request == null ? null : request.method(), path, e));
        }
        return answer(request.method(), path, target, request.body(), request.clientAddress());
    }

    /** Only ids of apps this node knows become labels: a client cannot grow the metrics by naming apps. */
    private HttpReply counted(String appId, ApiResponse response) {
        if (counter != AnswerCounter.NONE) {
            counter.answered(appId != null && engine.appById(appId) != null ? appId : null, response.status());
        }
        return HttpReply.json(response.status(), response.body(), response.headers());
    }

    private CompletionStage<ApiResponse> answer(String method, String path, RequestTarget target, byte[] body,
                                                String clientAddress) {
        CompletionStage<ApiResponse> answer;
        try {
            answer = dispatch(method, target, body, clientAddress);
        } catch (Exception | StackOverflowError e) {
            return CompletableFuture.completedFuture(refusal(method, path, e));
        }
        return answer.exceptionally(e -> refusal(method, path, e instanceof CompletionException && e.getCause() != null
                ? e.getCause() : e));
    }

    private static ApiResponse refusal(String method, String path, Throwable e) {
        if (e instanceof ApiProblem problem) {
            return problem.toResponse();
        }
        if (e instanceof StateUnavailableException) {
            limitedLog.warn("state-unavailable", "HTTP API {} {}: {}", method, path, e.getMessage());
            return ApiResponse.error(503, "Cluster state unavailable: " + e.getMessage());
        }
        limitedLog.warn("failed", "HTTP API {} {} failed", method, path, e);
        return ApiResponse.error(500, "Internal server error");
    }

    private CompletionStage<ApiResponse> dispatch(String requestMethod, RequestTarget target, byte[] requestBody,
                                                  String clientAddress) {
        String method = requestMethod == null ? "" : requestMethod.toUpperCase(Locale.ROOT);
        byte[] body = requestBody == null ? NO_BODY : requestBody;
        Router.Match match = router.match(method, target.segments());
        if (body.length > config.maxHttpBodyBytes()) {
            throw ApiProblem.tooLarge("Request body too large (limit " + config.maxHttpBodyBytes() + " bytes)");
        }
        // The id as the router decoded it, the spelling the app's key gets on the WebSocket: one cache entry per
        // app, and the app verified is the one just resolved, never an older copy cached under another spelling.
        return engine.resolveById(match.appId(), clientAddress).handle((app, failure) -> {
            if (failure != null) {
                throw lookupRefusal(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
            verifier.verify(app == null ? null : app.config(), method, target, body);
            rateLimits.take(app.config());
            return app;
        }).thenCompose(app -> match.endpoint().handle(new ApiCall(app, match.pathParam(), target, body)));
    }

    private static RuntimeException lookupRefusal(Throwable failure) {
        if (failure instanceof AppRegistry.TooManyLookups limited) {
            return ApiProblem.tooManyRequests(limited.getMessage(),
                    TokenBucket.retryAfterSeconds(limited.retryAfterNanos()));
        }
        if (failure instanceof AppRegistry.Overloaded) {
            return new ApiProblem(503, "Too many apps being looked up; retry");
        }
        return failure instanceof RuntimeException r ? r : new CompletionException(failure);
    }

    /** The path without the query, so logs never carry signatures. */
    private static String pathOnly(String uri) {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
