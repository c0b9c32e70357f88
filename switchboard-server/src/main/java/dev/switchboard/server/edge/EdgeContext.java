package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.Sessions;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;

/**
 * What the client port's handlers read, made once the worker loops exist and never changed: one reference per
 * socket to the same object for all, where a handler holding each part itself would cost a field per part per idle
 * socket.
 *
 * @param sweeps each worker loop's sweeps
 * @param routes what answers which path
 */
record EdgeContext(ServerConfig config, EdgeCounters counters, ConnectionLimits limits, Sessions sessions,
                   WebSocketServerHandshakerFactory handshakers, Drain drain, Map<EventExecutor, LoopSweeps> sweeps,
                   HttpRoutes routes) {

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
