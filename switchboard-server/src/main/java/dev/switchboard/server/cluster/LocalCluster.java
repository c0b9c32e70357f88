package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.ClusterNode;
import dev.switchboard.server.engine.SharedState;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/** A node alone: local broker, state in memory, always healthy, one live node. */
public final class LocalCluster implements Cluster, ClusterNode {
    private final LocalBroker broker = new LocalBroker();
    private final LocalState state;
    private final String nodeId;

    public LocalCluster(LongSupplier clock) {
        this.state = new LocalState(clock);
        this.nodeId = newNodeId();
    }

    /** Short, random, new at every start: enough to tell the nodes of one cluster apart in logs and keys. */
    public static String newNodeId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public SharedState state() {
        return state;
    }

    @Override
    public ClusterNode node() {
        return this;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public int liveNodes() {
        return 1;
    }

    @Override
    public String degradedReason() {
        return null;
    }

    @Override
    public void close() {
        broker.close();
        state.close();
    }
}
