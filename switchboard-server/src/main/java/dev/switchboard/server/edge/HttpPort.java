package dev.switchboard.server.edge;

import java.util.concurrent.CompletionStage;

/**
 * The one door HTTP comes in by: what answers a request routed to it ({@link HttpRoute}). The HTTP API, the
 * dashboard, metrics and {@code /up} implement it; the edge parses the request once ({@link HttpCall}), picks the
 * route, and writes the {@link HttpReply}, whole or streamed, on the connection's event loop.
 */
@FunctionalInterface
public interface HttpPort {

    /**
     * Called on the connection's event loop; must not block. The answer may complete later and on another thread. A
     * port that throws or fails its answer gets a JSON 500, counted and logged by the edge: each port is its own error
     * boundary and answers its own refusals.
     */
    CompletionStage<HttpReply> answer(HttpCall call);
}
