package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;

/** How the connection ramp went: connections ready, failed, the time it took, and one failure reason. */
final class ConnectResult {
    long ready;
    long failed;
    long elapsedMicros;
    String firstFailure;

    double perSecond() {
        return elapsedMicros == 0 ? 0 : ready * 1e6 / elapsedMicros;
    }

    void add(ConnectResult o) {
        ready += o.ready;
        failed += o.failed;
        elapsedMicros = Math.max(elapsedMicros, o.elapsedMicros);
        if (firstFailure == null) {
            firstFailure = o.firstFailure;
        }
    }

    ObjectNode toJson() {
        ObjectNode n = WireCodec.mapper().createObjectNode();
        n.put("ready", ready);
        n.put("failed", failed);
        n.put("elapsedMicros", elapsedMicros);
        n.put("firstFailure", firstFailure);
        return n;
    }

    static ConnectResult fromJson(JsonNode n) {
        ConnectResult r = new ConnectResult();
        r.ready = n.get("ready").asLong();
        r.failed = n.get("failed").asLong();
        r.elapsedMicros = n.get("elapsedMicros").asLong();
        r.firstFailure = n.get("firstFailure").isNull() ? null : n.get("firstFailure").asText();
        return r;
    }
}
