package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1, fan-out: {@code --connections} subscribers on one public channel; events triggered over
 * the HTTP API at each of {@code --rates}. The primary figure is the server's CPU time per delivery.
 */
final class FanoutScenario {
    static final String CHANNEL = "bench-fanout";

    private FanoutScenario() {}

    static ClientSpec spec(int index) {
        return ClientSpec.subscriber(CHANNEL);
    }

    static ObjectNode run(Options o) throws Exception {
        int n = o.integer("connections", 1000);
        ObjectNode result = Report.header(o);
        List<Map<String, String>> rows = new ArrayList<>();
        long rss0 = ProcStats.rssBytes(o.serverPid());
        try (Fleet fleet = MultiFleet.create(o, n, FanoutScenario::spec);
             HttpPublisher publisher = new HttpPublisher(o, o.integer("publishers", 8))) {
            ConnectResult c = Scenarios.connect(fleet, n, result);
            result.put("subscribers", c.ready);
            result.put("publishers", o.integer("publishers", 8));
            result.put("payloadBytes", o.integer("payload-bytes", 0));
            result.put("serverRssBeforeBytes", rss0);
            result.set("steps", PublishSteps.run(o, fleet, publisher, c.ready, seq -> CHANNEL, rows));
        }
        Path out = Report.write(o, result, "Fan-out: " + n + " subscribers on one public channel", rows,
                "open-loop HTTP triggers on " + o.integer("publishers", 8) + " keep-alive connections, "
                        + o.number("duration-s", 10) + " s per rate, warm-up " + o.number("warmup-s", 3) + " s");
        String chart = o.str("chart", out.toString().replaceAll("\\.json$", "") + ".svg");
        if (!chart.equals("none")) {
            SvgChart.fanout(List.of(result), Path.of(chart));
            System.out.println("chart: " + Path.of(chart).toAbsolutePath());
        }
        return result;
    }
}
