package dev.switchboard.server.edge;

import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.engine.ClusterNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code GET /up} (and {@code /health}): 503 once the node drains, else 200 also when degraded (a node cut off from
 * Redis still serves its own clients, and a load balancer taking every node out during a Redis outage would serve
 * nobody), with the node's id, live nodes and degraded reason on a cluster, and the apps database's state.
 */
final class Health implements HttpPort {
    private final Drain drain;
    /** Null before the node is known (an edge started on its own). */
    private final ClusterNode node;
    /** Null when apps come from the config only. */
    private final Supplier<Boolean> appsDatabaseUp;

    Health(Drain drain, ClusterNode node, Supplier<Boolean> appsDatabaseUp) {
        this.drain = drain;
        this.node = node;
        this.appsDatabaseUp = appsDatabaseUp;
    }

    @Override
    public CompletionStage<HttpReply> answer(HttpCall call) {
        return CompletableFuture.completedFuture(drain.begun() ? HttpReply.json(503, HttpResponses.SHUTTING_DOWN, null)
                : drain.warming() ? HttpReply.json(503, HttpResponses.WARMING_UP, null)
                : HttpReply.json(200, upBody(), null));
    }

    /** The body while serving. */
    private byte[] upBody() {
        ClusterNode n = node;
        Boolean appsDb = appsDatabaseUp == null ? null : appsDatabaseUp.get();
        if (n == null) {
            return appsDb == null ? HttpResponses.OK : appsDb ? HttpResponses.OK_APPS_DB_UP
                    : HttpResponses.OK_APPS_DB_DOWN;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        if (appsDb != null) {
            body.put("apps_db", appsDb ? "up" : "down");
        }
        body.put("node", n.nodeId());
        body.put("live_nodes", n.liveNodes());
        String degraded = n.degradedReason();
        if (degraded != null) {
            body.put("degraded", degraded);
        }
        return WireCodec.writeBytes(body);
    }
}
