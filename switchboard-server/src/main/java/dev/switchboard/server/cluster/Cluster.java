package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.ClusterNode;
import dev.switchboard.server.engine.SharedState;

/**
 * The three parts of the cluster seam a node is started with. {@link LocalCluster} is the one-node case; a
 * clustered node gets the Redis ones. Nothing else in the server knows which it has.
 */
public interface Cluster extends AutoCloseable {

    Broker broker();

    SharedState state();

    ClusterNode node();

    /** Traffic with the shared store, for /metrics (none for a node alone). */
    default ClusterTraffic traffic() {
        return ClusterTraffic.NONE;
    }

    /** Leaves the cluster: this node's state is removed at once (SIGTERM), connections to the store closed. */
    @Override
    void close();
}
