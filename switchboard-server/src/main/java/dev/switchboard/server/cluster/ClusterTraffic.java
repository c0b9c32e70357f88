package dev.switchboard.server.cluster;

/**
 * What a node exchanges with the shared store, for {@code /metrics}: commands sent (each one round trip),
 * pub/sub messages received from other nodes and published, and reconnects (the store back after an outage, or a
 * link re-made after it fell silent). All zero for a node alone.
 */
public interface ClusterTraffic {
    ClusterTraffic NONE = new ClusterTraffic() {};

    default long roundTrips() {
        return 0;
    }

    default long messagesIn() {
        return 0;
    }

    default long messagesOut() {
        return 0;
    }

    default long reconnects() {
        return 0;
    }
}
