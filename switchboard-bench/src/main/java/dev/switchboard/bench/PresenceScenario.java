package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 5, presence churn: {@code --observers} members stay on {@code presence-bench} and count the
 * member events they receive; {@code --connections} churners join (signed channel_data, user
 * {@code c<i>}) and leave again as soon as the join is confirmed. Joins are issued open-loop at each of
 * {@code --rates} (joins/s) to whichever churner is idle; a join due when none is idle is counted as
 * skipped. Pusher caps a presence channel at 100 members, so observers + churners should stay within it.
 */
final class PresenceScenario {
    static final String CHANNEL = "presence-bench";

    private PresenceScenario() {}

    static ObjectNode run(Options o) throws Exception {
        int churners = o.integer("connections", 50);
        int observers = o.integer("observers", 10);
        if (churners + observers > 100) {
            System.err.println("warning: more than 100 members; servers with Pusher's limit will refuse joins");
        }
        String pid = o.serverPid();
        double duration = o.number("duration-s", 10);
        double warmup = o.number("warmup-s", 3);
        ObjectNode result = Report.header(o);
        result.put("observers", observers);
        result.put("churners", churners);
        List<Map<String, String>> rows = new ArrayList<>();
        ArrayNode steps = Report.array();
        ConcurrentLinkedQueue<PusherClient> idle = new ConcurrentLinkedQueue<>();
        Map<PusherClient, Long> joinedAt = new ConcurrentHashMap<>();
        try (ClientFleet watchers = new ClientFleet(o, observers,
                     i -> new ClientSpec(CHANNEL, null, "o" + i, true));
             ClientFleet fleet = new ClientFleet(o, churners, i -> new ClientSpec(null, null, null, false))) {
            Scenarios.connect(watchers, observers, result);
            ConnectResult c = fleet.connect();
            System.err.printf("%d churners ready%n", c.ready);
            result.set("churnConnect", c.toJson());
            List<PusherClient> clients = fleet.clients();
            Map<PusherClient, String> ids = new ConcurrentHashMap<>();
            for (int i = 0; i < clients.size(); i++) {
                ids.put(clients.get(i), "c" + i);
            }
            idle.addAll(clients);
            fleet.listener(new PusherClient.Listener() {
                @Override public void ready(PusherClient client) {}

                @Override public void failed(PusherClient client, String reason) {}

                @Override public void closed(PusherClient client) {}

                @Override
                public void subscribed(PusherClient client, String channel) {
                    Long t0 = joinedAt.remove(client);
                    if (t0 != null) {
                        client.stats().onOperation((System.nanoTime() - t0) / 1_000);
                    }
                    client.unsubscribe(CHANNEL);
                    idle.add(client);
                }
            });
            List<Double> rates = o.rates("100,200,500");
            int step = 0;
            if (warmup > 0) {
                churn(rates.get(0), warmup, idle, joinedAt, ids);
                Thread.sleep(500);
            }
            for (double rate : rates) {
                step++;
                watchers.beginStep(step);
                fleet.beginStep(step);
                long cpu0 = ProcStats.cpuMicros(pid);
                long self0 = ProcStats.selfCpuMicros();
                long wall0 = System.nanoTime();
                long[] counts = churn(rate, duration, idle, joinedAt, ids);
                // wait for the last joins to complete and their member events to arrive
                long expectedMin = 2L * observers * counts[0];
                long deadline = System.nanoTime() + (long) (o.number("drain-s", 5) * 1e9);
                while (System.nanoTime() < deadline && (idle.size() < clients.size() || watchers.members() < expectedMin)) {
                    Thread.sleep(10);
                }
                long cpu1 = ProcStats.cpuMicros(pid);
                long self1 = ProcStats.selfCpuMicros();
                double wallS = (System.nanoTime() - wall0) / 1e9;
                StepStats w = watchers.endStep();
                StepStats f = fleet.endStep();
                long joins = f.opLatency.getTotalCount();
                long serverCpu = cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1;
                ObjectNode n = steps.addObject();
                n.put("step", step);
                n.put("requestedJoinsPerSecond", rate);
                n.put("joinsIssued", counts[0]);
                n.put("joinsSkipped", counts[1]);
                n.put("joinsCompleted", joins);
                n.put("joinsPerSecond", joins / wallS);
                n.put("memberEvents", w.members);
                n.put("expectedMemberEvents", 2L * observers * joins);
                n.put("memberEventsPerSecond", w.members / wallS);
                Report.latency(n, "join", f.opLatency);
                n.put("errors", w.errors + f.errors);
                n.put("serverCpuMicros", serverCpu);
                n.put("serverCpuMicrosPerMemberEvent", serverCpu >= 0 && w.members > 0 ? (double) serverCpu / w.members : -1);
                n.put("serverCpuPercent", serverCpu >= 0 ? serverCpu / 1e4 / wallS : -1);
                n.put("clientCpuPercent", (self1 - self0) / 1e4 / wallS);
                Map<String, String> r = Report.row();
                r.put("joins/s req", Report.fmt(rate));
                r.put("joins/s done", Report.fmt(joins / wallS));
                r.put("skipped", Long.toString(counts[1]));
                r.put("**member events/s**", "**" + Report.fmt(w.members / wallS) + "**");
                r.put("expected events", Long.toString(2L * observers * joins));
                r.put("join p50 ms", Report.fmt(n.get("joinP50Ms").asDouble()));
                r.put("join p99 ms", Report.fmt(n.get("joinP99Ms").asDouble()));
                r.put("server CPU µs/member event", Report.fmt(n.get("serverCpuMicrosPerMemberEvent").asDouble()));
                r.put("server CPU %", Report.fmt(n.get("serverCpuPercent").asDouble()));
                r.put("client CPU %", Report.fmt(n.get("clientCpuPercent").asDouble()));
                rows.add(r);
                System.err.printf("step %d: %.0f joins/s requested, %.0f done, %d skipped, %.0f member events/s (%d of %d)%n",
                        step, rate, joins / wallS, counts[1], w.members / wallS, w.members, 2L * observers * joins);
            }
        }
        result.set("steps", steps);
        Report.write(o, result, "Presence churn: " + churners + " churners, " + observers + " observers", rows,
                "a join is subscribe→subscription_succeeded, followed at once by unsubscribe; member events counted at the observers");
        return result;
    }

    /** Issues joins at {@code rate}/s for {@code seconds}; returns {issued, skipped}. */
    private static long[] churn(double rate, double seconds, ConcurrentLinkedQueue<PusherClient> idle,
                                Map<PusherClient, Long> joinedAt, Map<PusherClient, String> ids) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long issued = 0;
        long skipped = 0;
        long n = 0;
        while (true) {
            long due = start + (long) (n / rate * 1e9);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            n++;
            PusherClient c = idle.poll();
            if (c == null) {
                skipped++;
                continue;
            }
            issued++;
            String user = ids.get(c);
            ClientFleet.onLoop(c, () -> {
                joinedAt.put(c, System.nanoTime());
                c.subscribe(CHANNEL, user);
            });
        }
        return new long[] {issued, skipped};
    }
}
