package dev.switchboard.server.metrics;

import dev.switchboard.server.access.BearerToken;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.edge.HttpCall;
import dev.switchboard.server.edge.HttpPort;
import dev.switchboard.server.edge.HttpReply;
import dev.switchboard.server.edge.HttpRoute;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the Prometheus text. On the metrics listener to anyone who reaches that port; on the client
 * port only to the metrics token (the text names every app id and its traffic), and without a token configured the
 * path does not exist there, as on soketi. A scrape that fails fails the answer, which the edge turns into a 500.
 */
public final class MetricsEndpoint implements HttpPort {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final HttpReply NOT_FOUND = HttpReply.error(404, "Not found");
    private static final HttpReply UNAUTHORIZED = new HttpReply(401, HttpReply.JSON,
            HttpReply.error(401, "GET /metrics on this port needs Authorization: Bearer <metrics_token>").body(),
            Map.of("WWW-Authenticate", "Bearer realm=\"switchboard-metrics\""), null);

    /** Null: 404. */
    private final Supplier<String> scrape;
    /** Null: no token asked for. */
    private final BearerToken token;

    private MetricsEndpoint(Supplier<String> scrape, BearerToken token) {
        this.scrape = scrape;
        this.token = token;
    }

    /** The client port's row, there (405 for other methods) also when it answers 404. */
    public static HttpRoute onClientPort(Supplier<String> scrape, ServerConfig config) {
        boolean served = scrape != null && !config.metricsToken().isEmpty();
        return HttpRoute.read("/metrics", new MetricsEndpoint(served ? scrape : null,
                served ? BearerToken.of(config.metricsToken()) : null));
    }

    /** What the metrics listener serves; null when there is nothing to serve (then there is no listener). */
    public static HttpPort onItsOwnPort(Supplier<String> scrape) {
        return scrape == null ? null : new MetricsEndpoint(scrape, null);
    }

    @Override
    public CompletionStage<HttpReply> answer(HttpCall call) {
        if (scrape == null) {
            return CompletableFuture.completedFuture(NOT_FOUND);
        }
        if (token != null && !token.accepts(call.authorization())) {
            return CompletableFuture.completedFuture(UNAUTHORIZED);
        }
        return CompletableFuture.completedFuture(new HttpReply(200, CONTENT_TYPE,
                scrape.get().getBytes(StandardCharsets.UTF_8), Map.of(), null));
    }
}
