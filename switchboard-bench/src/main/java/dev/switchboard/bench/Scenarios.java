package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the scenarios share: opening the fleet and recording how that went. */
final class Scenarios {
    private Scenarios() {}

    static ConnectResult connect(Fleet fleet, int wanted, ObjectNode result) throws Exception {
        System.err.printf("connecting %d clients…%n", wanted);
        ConnectResult c = fleet.connect();
        System.err.printf("%d ready, %d failed in %.1f s (%.0f connections/s)%s%n", c.ready, c.failed,
                c.elapsedMicros / 1e6, c.perSecond(), c.firstFailure == null ? "" : "; first failure: " + c.firstFailure);
        ObjectNode n = c.toJson();
        n.put("wanted", wanted);
        n.put("connectionsPerSecond", c.perSecond());
        result.set("connect", n);
        if (c.ready == 0) {
            throw new IllegalStateException("no client could connect: " + c.firstFailure);
        }
        return c;
    }
}
