package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4, HTTP API: signed triggers (to a channel nobody subscribes to, so only the API is
 * measured) from {@code --concurrency} connections in a closed loop — each connection sends its next
 * request when the previous one is answered — for {@code --duration-s}. With {@code --rates}, open-loop
 * steps at those rates instead. A server that closes the connection after every response (soketi as
 * run here) pays a new TCP connection per request; the report counts the reconnects.
 */
final class HttpScenario {
    static final String CHANNEL = "bench-http";

    private HttpScenario() {}

    static ObjectNode run(Options o) throws Exception {
        int concurrency = o.integer("concurrency", 16);
        List<Double> rates = o.rates("0");
        double duration = o.number("duration-s", 10);
        double warmup = o.number("warmup-s", 3);
        String pid = o.serverPid();
        ObjectNode result = Report.header(o);
        result.put("concurrency", concurrency);
        List<Map<String, String>> rows = new ArrayList<>();
        ArrayNode steps = Report.array();
        try (HttpPublisher publisher = new HttpPublisher(o, concurrency)) {
            if (warmup > 0) {
                publisher.run(rates.get(0), warmup, 0, seq -> CHANNEL);
            }
            int step = 0;
            for (double rate : rates) {
                step++;
                long cpu0 = ProcStats.cpuMicros(pid);
                long self0 = ProcStats.selfCpuMicros();
                long wall0 = System.nanoTime();
                HttpPublisher.Result r = publisher.run(rate, duration, step, seq -> CHANNEL);
                long cpu1 = ProcStats.cpuMicros(pid);
                long self1 = ProcStats.selfCpuMicros();
                double wallS = (System.nanoTime() - wall0) / 1e9;
                long serverCpu = cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1;
                ObjectNode n = steps.addObject();
                n.put("step", step);
                n.put("mode", rate > 0 ? "open" : "closed");
                n.put("requestedRate", rate);
                n.put("concurrency", concurrency);
                n.put("sent", r.sent);
                n.put("accepted", r.accepted);
                n.put("rejected", r.rejected);
                n.put("notSent", r.notSent);
                n.put("ioErrors", r.ioErrors);
                n.put("reconnects", r.reconnects);
                n.put("firstError", r.firstError);
                n.put("requestsPerSecond", r.achievedRate());
                Report.latency(n, "latency", r.latency);
                n.put("serverCpuMicros", serverCpu);
                n.put("serverCpuMicrosPerRequest", serverCpu >= 0 && r.accepted > 0 ? (double) serverCpu / r.accepted : -1);
                n.put("serverCpuPercent", serverCpu >= 0 ? serverCpu / 1e4 / wallS : -1);
                n.put("serverRssBytes", ProcStats.rssBytes(pid));
                n.put("clientCpuPercent", (self1 - self0) / 1e4 / wallS);
                Map<String, String> row = Report.row();
                row.put("mode", rate > 0 ? "open " + Report.fmt(rate) + "/s" : "closed, C=" + concurrency);
                row.put("**triggers/s**", "**" + Report.fmt(r.achievedRate()) + "**");
                row.put("p50 ms", Report.fmt(n.get("latencyP50Ms").asDouble()));
                row.put("p99 ms", Report.fmt(n.get("latencyP99Ms").asDouble()));
                row.put("p99.9 ms", Report.fmt(n.get("latencyP999Ms").asDouble()));
                row.put("max ms", Report.fmt(n.get("latencyMaxMs").asDouble()));
                row.put("errors", Long.toString(r.rejected + r.ioErrors));
                row.put("reconnects", Long.toString(r.reconnects));
                row.put("server CPU µs/request", Report.fmt(n.get("serverCpuMicrosPerRequest").asDouble()));
                row.put("server CPU %", Report.fmt(n.get("serverCpuPercent").asDouble()));
                row.put("client CPU %", Report.fmt(n.get("clientCpuPercent").asDouble()));
                rows.add(row);
                System.err.printf("step %d: %.0f triggers/s, p50 %.2f ms, p99 %.2f ms, %d errors, %d reconnects%s%n", step,
                        r.achievedRate(), n.get("latencyP50Ms").asDouble(), n.get("latencyP99Ms").asDouble(),
                        r.rejected + r.ioErrors, r.reconnects, r.firstError == null ? "" : " (" + r.firstError + ")");
            }
        }
        result.set("steps", steps);
        Report.write(o, result, "HTTP API: signed triggers, concurrency " + concurrency, rows,
                "trigger to a channel without subscribers; latency from request written to response read");
        return result;
    }
}
