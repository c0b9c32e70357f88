package dev.switchboard.server.api;

import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.limits.TokenBucket;
import dev.switchboard.server.logging.RateLimitedLog;
import java.time.Clock;
import java.util.List;
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
 * (PROTOCOL.md §6, docs/http-api.md). The one boundary where refusals become {@code {"error":"…"}} answers:
 * nothing escapes {@link #handle}, and unexpected failures are logged and answered with a 500.
 *
 * <p>Order of checks: route (404/405), body size (413), app (404), credentials (401), app enabled (403), the
 * app's request rate (429, {@code max_api_requests_per_second}), then the endpoint's own validation (400/413/404).
 */
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    /** Per request: a cluster outage or a bug hit by every request must not log once per request. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);
    private static final byte[] NO_BODY = new byte[0];

    private final Engine engine;
    private final ServerConfig config;
    private final RequestVerifier verifier;
    private final Router router;
    private final ApiRateLimits rateLimits;

    public HttpApi(Engine engine, ServerConfig config) {
        this(engine, config, Clock.systemUTC(), System::nanoTime);
    }

    /** With an injected clock, for the timestamp window, cache TTLs and request budgets in tests. */
    HttpApi(Engine engine, ServerConfig config, Clock clock) {
        this(engine, config, clock, () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
    }

    private HttpApi(Engine engine, ServerConfig config, Clock clock, LongSupplier nanoClock) {
        this.engine = engine;
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
                        new TerminateUserConnectionsEndpoint())
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

    /**
     * Never fails: every problem is a 4xx with a JSON body, a shared state that cannot answer a 503. Runs on an event
     * loop (or on the apps registry's thread that has just read the request's app: the app is then cached) and
     * never blocks; the answer completes at once on one node, after the shared state answered on a cluster.
     */
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        CompletionStage<ApiResponse> answer;
        try {
            answer = dispatch(request);
        } catch (Exception | StackOverflowError e) {
            return CompletableFuture.completedFuture(refusal(request, e));
        }
        return answer.exceptionally(e -> refusal(request, e instanceof CompletionException && e.getCause() != null
                ? e.getCause() : e));
    }

    private static ApiResponse refusal(ApiRequest request, Throwable e) {
        if (e instanceof ApiProblem problem) {
            return problem.toResponse();
        }
        if (e instanceof StateUnavailableException) {
            limitedLog.warn("state-unavailable", "HTTP API {} {}: {}", request.method(), pathOnly(request.uri()),
                    e.getMessage());
            return ApiResponse.error(503, "Cluster state unavailable: " + e.getMessage());
        }
        limitedLog.warn("failed", "HTTP API {} {} failed", request == null ? null : request.method(),
                request == null ? null : pathOnly(request.uri()), e);
        return ApiResponse.error(500, "Internal server error");
    }

    private CompletionStage<ApiResponse> dispatch(ApiRequest request) {
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        byte[] body = request.body() == null ? NO_BODY : request.body();
        RequestTarget target = RequestTarget.parse(request.uri());
        Router.Match match = router.match(method, target.segments());
        if (body.length > config.maxHttpBodyBytes()) {
            throw ApiProblem.tooLarge("Request body too large (limit " + config.maxHttpBodyBytes() + " bytes)");
        }
        // The id as the router decoded it, the spelling the app's key gets on the WebSocket: one cache entry per
        // app, and the app verified is the one just resolved, never an older copy cached under another spelling.
        return engine.resolveById(match.appId(), request.clientAddress()).handle((app, failure) -> {
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

    /** The {@code {app_id}} of an {@code /apps/{app_id}/…} target, decoded as the API decodes it; else null. */
    public static String appIdOf(String uri) {
        try {
            List<String> segments = RequestTarget.parse(uri).segments();
            return segments.size() >= 2 && segments.get(0).equals("apps") ? segments.get(1) : null;
        } catch (ApiProblem e) {
            return null;
        }
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
