package dev.switchboard.server.engine;

/**
 * This node's view of the cluster it belongs to, for {@code /up}, {@code /metrics} and the log: its id (new at
 * every start), how many nodes are live, and whether it is cut off from the shared store.
 */
public interface ClusterNode {

    String nodeId();

    /** Live nodes, this one included (1 on a single node; this node's last reading while degraded). */
    int liveNodes();

    /** Null when healthy; else why the node serves only its own clients (e.g. "redis unreachable since …"). */
    String degradedReason();
}
