package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The rising-rate loop shared by the fan-out and users scenarios: a warm-up at the first rate, then
 * one step per rate. Each step publishes open-loop for {@code --duration-s}, waits until every accepted
 * event has reached every recipient (or nothing has arrived for a second, at most {@code --drain-s}),
 * and reads the server's CPU time and RSS before and after.
 */
final class PublishSteps {
    private PublishSteps() {}

    /**
     * @param recipients how many deliveries one accepted event must produce
     * @param channels the channel of the n-th event
     */
    static ArrayNode run(Options o, Fleet fleet, HttpPublisher publisher, long recipients, LongFunction<String> channels,
                         List<Map<String, String>> rows) throws Exception {
        List<Double> rates = o.rates("10,20,50");
        double duration = o.number("duration-s", 10);
        double warmup = o.number("warmup-s", 3);
        String pid = o.serverPid();
        ArrayNode steps = WireCodec.mapper().createArrayNode();
        if (warmup > 0 && !rates.isEmpty()) {
            System.err.printf("warm-up: %.0f/s for %.0f s%n", rates.get(0), warmup);
            fleet.beginStep(0);
            publisher.run(rates.get(0), warmup, 0, channels);
            drain(o, fleet, Long.MAX_VALUE);
            fleet.endStep();
        }
        int step = 0;
        for (double rate : rates) {
            step++;
            fleet.beginStep(step);
            long cpu0 = ProcStats.cpuMicros(pid);
            long self0 = ProcStats.selfCpuMicros();
            long wall0 = System.nanoTime();
            long epoch0 = EpochMicros.now();
            HttpPublisher.Result pub = publisher.run(rate, duration, step, channels);
            long expected = pub.accepted * recipients;
            drain(o, fleet, expected);
            long cpu1 = ProcStats.cpuMicros(pid);
            long self1 = ProcStats.selfCpuMicros();
            long wall1 = System.nanoTime();
            StepStats s = fleet.endStep();
            double wallS = (wall1 - wall0) / 1e9;
            double deliverySpanS = s.lastDeliveryMicros > epoch0 ? (s.lastDeliveryMicros - epoch0) / 1e6 : wallS;
            long serverCpu = cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1;
            long clientCpu = (self1 - self0) + s.clientCpuMicros;

            ObjectNode n = steps.addObject();
            n.put("step", step);
            n.put("requestedRate", rate);
            n.put("achievedRate", pub.achievedRate());
            n.put("sent", pub.sent);
            n.put("accepted", pub.accepted);
            n.put("rejected", pub.rejected);
            n.put("notSent", pub.notSent);
            n.put("ioErrors", pub.ioErrors);
            n.put("reconnects", pub.reconnects);
            n.put("publishFirstError", pub.firstError);
            Report.latency(n, "http", pub.latency);
            n.put("expectedDeliveries", expected);
            n.put("deliveries", s.delivered);
            n.put("lost", Math.max(0, expected - s.delivered));
            n.put("stale", s.stale);
            n.put("malformed", s.malformed);
            n.put("duplicates", s.duplicates);
            n.put("connectionsClosed", s.closed);
            n.put("deliverySpanSeconds", deliverySpanS);
            n.put("deliveriesPerSecond", s.delivered / deliverySpanS);
            Report.latency(n, "latency", s.latency);
            n.put("wallSeconds", wallS);
            n.put("serverCpuMicros", serverCpu);
            n.put("serverCpuMicrosPerDelivery", serverCpu >= 0 && s.delivered > 0 ? (double) serverCpu / s.delivered : -1);
            n.put("serverCpuPercent", serverCpu >= 0 ? serverCpu / 1e4 / wallS : -1);
            n.put("serverRssBytes", ProcStats.rssBytes(pid));
            n.put("clientCpuMicros", clientCpu);
            n.put("clientCpuPercent", clientCpu / 1e4 / wallS);
            boolean clientBound = Report.clientBound(clientCpu / 1e4 / wallS);
            n.put("clientBound", clientBound);

            Map<String, String> r = Report.row();
            r.put("rate req/s", Report.fmt(rate));
            r.put("achieved/s", Report.fmt(pub.achievedRate()));
            r.put("deliveries/s", Report.fmt(s.delivered / deliverySpanS));
            r.put("p50 ms", Report.fmt(n.get("latencyP50Ms").asDouble()));
            r.put("p99 ms", Report.fmt(n.get("latencyP99Ms").asDouble()));
            r.put("p99.9 ms", Report.fmt(n.get("latencyP999Ms").asDouble()));
            r.put("max ms", Report.fmt(n.get("latencyMaxMs").asDouble()));
            r.put("lost", Long.toString(Math.max(0, expected - s.delivered)));
            r.put("publish errors", Long.toString(pub.rejected + pub.ioErrors + pub.notSent));
            r.put("**server CPU µs/delivery**", "**" + Report.fmt(n.get("serverCpuMicrosPerDelivery").asDouble()) + "**");
            r.put("server CPU %", Report.fmt(n.get("serverCpuPercent").asDouble()));
            r.put("server RSS MiB", Report.fmt(ProcStats.rssBytes(pid) / 1048576.0));
            r.put("client CPU %", Report.fmt(clientCpu / 1e4 / wallS) + (clientBound ? " ⚠ client-bound" : ""));
            r.put("http p99 ms", Report.fmt(n.get("httpP99Ms").asDouble()));
            rows.add(r);
            System.err.printf("step %d: %.0f/s requested, %.0f/s achieved, %d/%d delivered, p50 %.2f ms p99 %.2f ms,"
                            + " server %.2f µs/delivery, server CPU %.0f%%, client CPU %.0f%%%n",
                    step, rate, pub.achievedRate(), s.delivered, expected, n.get("latencyP50Ms").asDouble(),
                    n.get("latencyP99Ms").asDouble(), n.get("serverCpuMicrosPerDelivery").asDouble(),
                    n.get("serverCpuPercent").asDouble(), clientCpu / 1e4 / wallS);
            if (s.duplicates + s.malformed + s.closed > 0) {
                System.err.printf("  clients: %d duplicate deliveries, %d malformed frames, %d connections closed%n",
                        s.duplicates, s.malformed, s.closed);
            }
            if (pub.rejected + pub.ioErrors + pub.notSent > 0) {
                System.err.printf("  publisher: %d rejected, %d I/O errors, %d not sent (backlog full); first error: %s%n",
                        pub.rejected, pub.ioErrors, pub.notSent, pub.firstError);
            }
        }
        return steps;
    }

    /** Waits until {@code expected} deliveries arrived, nothing arrived for a second, or --drain-s. */
    static void drain(Options o, Fleet fleet, long expected) throws Exception {
        long deadline = System.nanoTime() + (long) (o.number("drain-s", 5) * 1e9);
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long d = fleet.delivered();
            if (d >= expected) {
                return;
            }
            if (d != last) {
                last = d;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 1_000_000_000L) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
