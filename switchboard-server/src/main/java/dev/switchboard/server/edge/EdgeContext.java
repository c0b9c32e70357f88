package dev.switchboard.server.edge;

import dev.switchboard.server.access.BearerToken;
import dev.switchboard.server.api.ApiRequest;
import dev.switchboard.server.api.ApiResponse;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.dashboard.DashboardRequest;
import dev.switchboard.server.dashboard.DashboardResponse;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the client port's handlers read, made once the worker loops exist and never changed: one reference per
 * socket to the same object for all, where a handler holding each part itself would cost a field per part per idle
 * socket.
 *
 * @param sweeps       each worker loop's sweeps
 * @param metrics      Prometheus text for {@code GET /metrics}; null answers 404
 * @param metricsToken null: {@code /metrics} on the client port is 404
 * @param dashboard    answers {@code /dashboard…}; null answers 404 there
 */
record EdgeContext(ServerConfig config, EdgeCounters counters, ConnectionLimits limits, Sessions sessions,
                   WebSocketServerHandshakerFactory handshakers, Drain drain, Map<EventExecutor, LoopSweeps> sweeps,
                   Health health, Function<ApiRequest, CompletionStage<ApiResponse>> api, Supplier<String> metrics,
                   BearerToken metricsToken, Function<DashboardRequest, CompletionStage<DashboardResponse>> dashboard) {

    EdgeContext {
        sweeps = Map.copyOf(sweeps);
    }

    /** The sweeps of a worker event loop. */
    LoopSweeps sweeps(EventLoop loop) {
        LoopSweeps s = sweeps.get(loop);
        if (s == null) {
            throw new IllegalStateException("Not a worker event loop of this server: " + loop);
        }
        return s;
    }
}
