package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What the WebSocket clients saw during one step, merged over event loops and processes: delivery
 * latency, the latency of client operations (presence joins), counts, and the client's own CPU time.
 * Travels between a child process and its parent as one JSON line with the histograms compressed.
 */
final class StepStats {
    Histogram latency = LoopStats.newHistogram();
    Histogram opLatency = LoopStats.newHistogram();
    long delivered;
    long members;
    /** Presence members known to the clients in their own channel, summed (see {@link LoopStats#known}). */
    long known;
    long stale;
    long malformed;
    long duplicates;
    long errors;
    long closed;
    long lastDeliveryMicros;
    long clientCpuMicros;

    void add(StepStats o) {
        latency.add(o.latency);
        opLatency.add(o.opLatency);
        delivered += o.delivered;
        members += o.members;
        known += o.known;
        stale += o.stale;
        malformed += o.malformed;
        duplicates += o.duplicates;
        errors += o.errors;
        closed += o.closed;
        lastDeliveryMicros = Math.max(lastDeliveryMicros, o.lastDeliveryMicros);
        clientCpuMicros += o.clientCpuMicros;
    }

    ObjectNode toJson() {
        ObjectNode n = WireCodec.mapper().createObjectNode();
        n.put("latency", encode(latency));
        n.put("opLatency", encode(opLatency));
        n.put("delivered", delivered);
        n.put("members", members);
        n.put("known", known);
        n.put("stale", stale);
        n.put("malformed", malformed);
        n.put("duplicates", duplicates);
        n.put("errors", errors);
        n.put("closed", closed);
        n.put("lastDeliveryMicros", lastDeliveryMicros);
        n.put("clientCpuMicros", clientCpuMicros);
        return n;
    }

    static StepStats fromJson(JsonNode n) {
        StepStats s = new StepStats();
        s.latency = decode(n.get("latency").asText());
        s.opLatency = decode(n.get("opLatency").asText());
        s.delivered = n.get("delivered").asLong();
        s.members = n.get("members").asLong();
        s.known = n.get("known").asLong();
        s.stale = n.get("stale").asLong();
        s.malformed = n.get("malformed").asLong();
        s.duplicates = n.get("duplicates").asLong();
        s.errors = n.get("errors").asLong();
        s.closed = n.get("closed").asLong();
        s.lastDeliveryMicros = n.get("lastDeliveryMicros").asLong();
        s.clientCpuMicros = n.get("clientCpuMicros").asLong();
        return s;
    }

    static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(buf);
        byte[] out = new byte[len];
        buf.flip();
        buf.get(out);
        return Base64.getEncoder().encodeToString(out);
    }

    static Histogram decode(String b64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b64)), LoopStats.MAX_MICROS);
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt histogram from a child process", e);
        }
    }
}
