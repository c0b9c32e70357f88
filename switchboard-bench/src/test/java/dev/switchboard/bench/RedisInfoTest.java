package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisInfoTest {
    @Test
    void keepsTheNumbersItKnowsAndSubtractsThem() {
        Map<String, Double> before = RedisInfo.parse("# Memory\r\nused_memory:1000\r\nused_memory_human:1000B\r\n"
                + "# Stats\r\ntotal_commands_processed:10\r\ntotal_net_input_bytes:500\r\n");
        Map<String, Double> after = RedisInfo.parse("used_memory:1500\r\ntotal_commands_processed:14\r\ntotal_net_input_bytes:900\r\n");

        assertThat(before).containsOnlyKeys("used_memory", "total_commands_processed", "total_net_input_bytes");
        assertThat(RedisInfo.delta(before, after)).containsEntry("used_memory", 500.0)
                .containsEntry("total_commands_processed", 4.0).containsEntry("total_net_input_bytes", 400.0);
        assertThat(RedisInfo.delta(Map.of(), after)).isEmpty();
        assertThat(RedisInfo.clientBytes(Map.of("total_net_input_bytes", 900.0, "total_net_output_bytes", 700.0,
                "total_net_repl_input_bytes", 300.0, "total_net_repl_output_bytes", 200.0))).isEqualTo(1100.0);
    }
}
