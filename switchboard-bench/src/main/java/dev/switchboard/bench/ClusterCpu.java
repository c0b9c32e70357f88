package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One step's CPU time of a cluster, read from /proc like the server's: each node's ({@code --node-pids}) and
 * the redis-server's ({@code --redis-pid}), each per delivery, and their sum per delivery, the cluster's
 * price of one delivery. Empty (no fields, no columns) when neither option is given.
 */
final class ClusterCpu {
    private final long[] nodeMicros;
    private final long redisMicros;
    private final long deliveries;

    private ClusterCpu(long[] nodeMicros, long redisMicros, long deliveries) {
        this.nodeMicros = nodeMicros;
        this.redisMicros = redisMicros;
        this.deliveries = deliveries;
    }

    static ClusterCpu of(long[] nodes0, long[] nodes1, long redis0, long redis1, long deliveries) {
        long[] nodes = new long[nodes0.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = nodes0[i] >= 0 && nodes1[i] >= 0 ? nodes1[i] - nodes0[i] : -1;
        }
        return new ClusterCpu(nodes, redis0 >= 0 && redis1 >= 0 ? redis1 - redis0 : -1, deliveries);
    }

    private boolean any() {
        return nodeMicros.length > 0 || redisMicros >= 0;
    }

    private double perDelivery(long micros) {
        return micros >= 0 && deliveries > 0 ? (double) micros / deliveries : -1;
    }

    /** Whether per-node readings were asked for (--node-pids). */
    boolean hasNodes() {
        return nodeMicros.length > 0;
    }

    /** Node {@code i}'s CPU per delivery (or per whatever unit the count was: the storm's clients); -1 unread. */
    double nodePerDelivery(int i) {
        return perDelivery(nodeMicros[i]);
    }

    double redisPerDelivery() {
        return perDelivery(redisMicros);
    }

    /** Every node's and Redis's CPU time, summed; -1 when a node's reading is missing. */
    long totalMicros() {
        long sum = Math.max(0, redisMicros);
        for (long m : nodeMicros) {
            if (m < 0) {
                return -1;
            }
            sum += m;
        }
        return sum;
    }

    /** The nodes' figures per delivery as "a / b / c", for a table cell. */
    String perNodeText() {
        StringBuilder perNode = new StringBuilder();
        for (long m : nodeMicros) {
            perNode.append(perNode.length() == 0 ? "" : " / ").append(Report.fmt(perDelivery(m)));
        }
        return perNode.toString();
    }

    /** Cluster CPU per delivery: every node and Redis; -1 when a reading is missing. */
    double totalPerDelivery() {
        long sum = totalMicros();
        return sum < 0 ? -1 : perDelivery(sum);
    }

    void put(ObjectNode step) {
        if (!any()) {
            return;
        }
        ArrayNode nodes = step.putArray("nodes");
        for (long m : nodeMicros) {
            nodes.addObject().put("cpuMicros", m).put("cpuMicrosPerDelivery", perDelivery(m));
        }
        step.put("redisCpuMicros", redisMicros);
        step.put("redisCpuMicrosPerDelivery", perDelivery(redisMicros));
        step.put("clusterCpuMicrosPerDelivery", totalPerDelivery());
    }

    void row(Map<String, String> r) {
        if (!any()) {
            return;
        }
        r.put("node CPU µs/delivery (each node)", perNodeText());
        r.put("Redis CPU µs/delivery", Report.fmt(perDelivery(redisMicros)));
        r.put("**cluster CPU µs/delivery**", "**" + Report.fmt(totalPerDelivery()) + "**");
    }
}
