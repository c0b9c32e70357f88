package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;

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
        return run(o, fleet, publisher, recipients, channels, rows, null);
    }

    /**
     * The same, with {@code redis} read before and after each step (Redis's INFO: its traffic and commands per
     * publish, the capacity model's Redis figures); null for none.
     */
    static ArrayNode run(Options o, Fleet fleet, HttpPublisher publisher, long recipients, LongFunction<String> channels,
                         List<Map<String, String>> rows, Supplier<Map<String, Double>> redis) throws Exception {
        List<Double> rates = o.rates("10,20,50");
        double duration = o.number("duration-s", 10);
        double warmup = o.number("warmup-s", 3);
        String pid = o.serverPid();
        ArrayNode steps = WireCodec.mapper().createArrayNode();
        if (warmup > 0 && !rates.isEmpty()) {
            // at the highest rate by default: a JVM server compiles its hot paths after so many
            // invocations, not after so many seconds, and the last steps are the ones that need it most
            double warmupRate = o.number("warmup-rate", rates.stream().mapToDouble(Double::doubleValue).max().getAsDouble());
            System.err.printf("warm-up: %s/s for %.0f s%n", Report.fmt(warmupRate), warmup);
            fleet.beginStep(0);
            publisher.run(warmupRate, warmup, 0, channels);
            drain(o, fleet, Long.MAX_VALUE);
            fleet.endStep();
        }
        double baselinePercent = baseline(pid, o.number("baseline-s", 2));
        int step = 0;
        for (double rate : rates) {
            step++;
            fleet.beginStep(step);
            long cpu0 = ProcStats.cpuMicros(pid);
            long[] nodes0 = cpuOf(o.nodePids());
            long redis0 = ProcStats.cpuMicros(o.redisPid());
            Map<String, Double> info0 = redis == null ? Map.of() : redis.get();
            long self0 = ProcStats.selfCpuMicros();
            long wall0 = System.nanoTime();
            long epoch0 = EpochMicros.now();
            HttpPublisher.Result pub = publisher.run(rate, duration, step, channels);
            long expected = pub.accepted * recipients;
            drain(o, fleet, expected);
            long cpu1 = ProcStats.cpuMicros(pid);
            long[] nodes1 = cpuOf(o.nodePids());
            long redis1 = ProcStats.cpuMicros(o.redisPid());
            Map<String, Double> info = RedisInfo.delta(info0, redis == null ? Map.of() : redis.get());
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
            n.put("serverBaselineCpuPercent", baselinePercent);
            double net = serverCpu - baselinePercent * 1e4 * wallS;
            n.put("serverCpuMicrosPerDeliveryAboveBaseline",
                    serverCpu >= 0 && baselinePercent >= 0 && s.delivered > 0 ? Math.max(0, net) / s.delivered : -1);
            n.put("serverRssBytes", ProcStats.rssBytes(pid));
            ClusterCpu cluster = ClusterCpu.of(nodes0, nodes1, redis0, redis1, s.delivered);
            cluster.put(n);
            double redisBytesPerPublish = -1;
            if (!info.isEmpty() && pub.accepted > 0) {
                ObjectNode r = n.putObject("redisInfoDelta");
                info.forEach(r::put);
                redisBytesPerPublish = RedisInfo.clientBytes(info) / pub.accepted; // replication left out, as in the model
                n.put("redisBytesPerPublish", redisBytesPerPublish);
                n.put("redisCommandsPerPublish", info.get("total_commands_processed") / pub.accepted);
            }
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
            r.put("µs/delivery above idle", Report.fmt(n.get("serverCpuMicrosPerDeliveryAboveBaseline").asDouble()));
            r.put("server CPU %", Report.fmt(n.get("serverCpuPercent").asDouble()));
            cluster.row(r);
            if (redisBytesPerPublish >= 0) {
                r.put("Redis bytes/publish", Report.fmt(redisBytesPerPublish));
            }
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

    /** CPU time of each process of {@code pids} (-1 where unreadable). */
    static long[] cpuOf(List<String> pids) {
        long[] out = new long[pids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ProcStats.cpuMicros(pids.get(i));
        }
        return out;
    }

    /**
     * The server's CPU use while connected clients are idle, in percent of one CPU over {@code seconds}
     * (timers, pings, a JVM's background compilation and GC): what a step's CPU includes besides the work
     * it asked for, which matters at low rates. -1 without a pid.
     */
    static double baseline(String pid, double seconds) throws InterruptedException {
        long c0 = ProcStats.cpuMicros(pid);
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long c1 = ProcStats.cpuMicros(pid);
        double wall = (System.nanoTime() - t0) / 1e9;
        return c0 < 0 || c1 < 0 || seconds <= 0 ? -1 : (c1 - c0) / 1e4 / wall;
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
