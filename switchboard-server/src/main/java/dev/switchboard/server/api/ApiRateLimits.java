package dev.switchboard.server.api;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.limits.TokenBucket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * {@code max_api_requests_per_second}: one token bucket per app, taken after the request is verified, so a
 * stranger who knows an app id cannot spend the app's budget with unsigned requests. The refusals are counted
 * per app for {@code /metrics}.
 */
public final class ApiRateLimits {
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, LongAdder> refusals = new HashMap<>();
    private final LongSupplier clock;

    ApiRateLimits(ServerConfig config, LongSupplier nanoClock) {
        this.clock = nanoClock;
        long now = nanoClock.getAsLong();
        for (AppConfig app : config.apps()) {
            refusals.put(app.id(), new LongAdder());
            if (app.maxApiRequestsPerSecond() > 0) {
                buckets.put(app.id(), new TokenBucket(app.maxApiRequestsPerSecond(), now));
            }
        }
    }

    /** Takes one request from the app's budget, or refuses it with 429 and {@code Retry-After}. */
    void take(AppConfig app) {
        TokenBucket bucket = buckets.get(app.id());
        if (bucket == null) {
            return;
        }
        long wait = bucket.tryAcquire(clock.getAsLong());
        if (wait > 0) {
            refusals.get(app.id()).increment();
            throw ApiProblem.tooManyRequests("Too many requests for app " + app.id() + " (limit "
                    + bucket.ratePerSecond() + " per second)", TokenBucket.retryAfterSeconds(wait));
        }
    }

    /** Requests of the app answered 429 so far; 0 for an unknown id. */
    public long refusals(String appId) {
        LongAdder n = refusals.get(appId);
        return n == null ? 0 : n.sum();
    }
}
