package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCpuTest {
    @Test
    void eachNodeAndRedisArePricedPerDeliveryAndSummedForTheCluster() {
        ClusterCpu cpu = ClusterCpu.of(new long[] {1_000, 2_000, 3_000}, new long[] {5_000, 4_000, 5_000}, 100, 1_100, 1_000);

        ObjectNode step = WireCodec.mapper().createObjectNode();
        cpu.put(step);

        assertThat(step.get("nodes").get(0).get("cpuMicrosPerDelivery").asDouble()).isEqualTo(4.0);
        assertThat(step.get("nodes").get(2).get("cpuMicros").asLong()).isEqualTo(2_000);
        assertThat(step.get("redisCpuMicrosPerDelivery").asDouble()).isEqualTo(1.0);
        assertThat(step.get("clusterCpuMicrosPerDelivery").asDouble()).isEqualTo(9.0);
        Map<String, String> row = new LinkedHashMap<>();
        cpu.row(row);
        assertThat(row.get("node CPU µs/delivery (each node)")).isEqualTo(Report.fmt(4.0) + " / " + Report.fmt(2.0) + " / " + Report.fmt(2.0));
    }

    @Test
    void withoutClusterOptionsNothingIsAdded() {
        ClusterCpu cpu = ClusterCpu.of(new long[0], new long[0], -1, -1, 1_000);
        ObjectNode step = WireCodec.mapper().createObjectNode();
        Map<String, String> row = new LinkedHashMap<>();

        cpu.put(step);
        cpu.row(row);

        assertThat(step.size()).isZero();
        assertThat(row).isEmpty();
    }

    @Test
    void webSocketClientsSpreadOverTheGivenPortsOrUseThePort() {
        assertThat(Options.parse(new String[] {"fanout", "--port", "7001", "--ws-ports", "7001, 7002,7003"}).wsPorts())
                .containsExactly(7001, 7002, 7003);
        assertThat(Options.parse(new String[] {"fanout", "--port", "7001"}).wsPorts()).containsExactly(7001);
        assertThat(Options.parse(new String[] {"users", "--node-pids", "11,12"}).nodePids()).isEqualTo(List.of("11", "12"));
    }
}
