package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Scenario 6, a reconnect storm: what a node pays when every client of a restarted node comes back at once.
 * {@code --connections} clients connect as fast as the server takes them ({@code --ramp-inflight} handshakes in
 * flight), each signs in with {@code pusher:signin} (signed user_data, user {@code s<i>}; off with
 * {@code --signin false}) and joins a presence channel with signed channel_data: a room of its own, or with
 * {@code --rooms R} one of R shared rooms (client i in room i mod R, so each join is also a member_added to the
 * room's members already there); then all of them close at once (a close frame each, as pusher-js's disconnect).
 *
 * <p>Before the storm, {@code --warmup-clients} (1000; 0 for none) do the same in rooms of their own kind and
 * close again: on a freshly started server that is the cold figure, and the storm after it the warm one. Server
 * CPU is read from /proc ({@code --server-pid}, a comma-separated list summed: the nodes and Redis of a
 * cluster) before and after each phase, after the server has gone quiet; nothing here needs a JVM server.
 */
final class StormScenario {
    /** A phase is over when the server spends less than this share of a core over {@link #QUIET_MILLIS}. */
    private static final double QUIET_CORE_SHARE = 0.04;
    /** With /proc's 10 ms ticks: quiet is at most one tick in this long. */
    private static final long QUIET_MILLIS = 300;
    private static final long QUIET_MAX_MILLIS = 10_000;

    private StormScenario() {}

    static IntFunction<ClientSpec> specs(String prefix, int rooms, boolean signin) {
        return i -> {
            String user = prefix + i;
            String room = rooms > 0 ? "presence-" + prefix + "room-" + (i % rooms) : "presence-" + prefix + "own-" + i;
            return new ClientSpec(room, signin ? user : null, user, false);
        };
    }

    static ObjectNode run(Options o) throws Exception {
        if (o.integer("processes", 1) != 1) {
            throw new IllegalArgumentException("storm runs its clients in this process (--processes 1)");
        }
        int n = o.integer("connections", 1000);
        int warmup = o.integer("warmup-clients", 1000);
        int rooms = o.integer("rooms", 0);
        boolean signin = o.flag("signin", true);
        String pid = o.serverPid();
        ObjectNode result = Report.header(o);
        result.put("rooms", rooms);
        result.put("signin", signin);
        result.put("warmupClients", warmup);
        long rssEmpty = rss(pid);
        result.put("serverRssEmptyBytes", rssEmpty);
        List<Map<String, String>> rows = new ArrayList<>();
        if (warmup > 0) {
            Phase cold = phase(o, "w", warmup, rooms, signin, pid);
            result.set("cold", cold.json);
            rows.add(cold.row("cold: first " + warmup + " on this server"));
        }
        Phase storm = phase(o, "s", n, rooms, signin, pid);
        result.set("storm", storm.json);
        rows.add(storm.row(warmup > 0 ? "warm: " + n + " after the warm-up" : "storm of " + n));
        Report.write(o, result, "Reconnect storm: " + n + " clients, " + (signin ? "sign-in + " : "")
                        + (rooms > 0 ? "presence in " + rooms + " shared rooms" : "presence, a room each"), rows,
                "server CPU per client from /proc over each phase (connect, sign-in, join; then all close), read once"
                        + " the server is quiet; wall time from the first connect to the last join confirmed");
        return result;
    }

    /** One storm: connect, sign in and join every client, then close them all; the figures of both halves. */
    private static Phase phase(Options o, String prefix, int n, int rooms, boolean signin, String pid)
            throws Exception {
        ObjectNode json = WireCodec.mapper().createObjectNode();
        awaitQuiet(pid);
        long cpu0 = ProcStats.cpuMicros(pid);
        long jit0 = ProcStats.jitCpuMicros(pid);
        System.err.printf("storm %s: %d clients…%n", prefix, n);
        try (ClientFleet fleet = new ClientFleet(o, n, specs(prefix, rooms, signin))) {
            ConnectResult c = fleet.connect();
            awaitQuiet(pid);
            long cpu1 = ProcStats.cpuMicros(pid);
            long jit1 = ProcStats.jitCpuMicros(pid);
            long rssJoined = rss(pid);
            long closeStart = System.nanoTime();
            long closes = fleet.closeAllAndAwait(30_000);
            long closeMicros = (System.nanoTime() - closeStart) / 1_000;
            awaitQuiet(pid);
            long cpu2 = ProcStats.cpuMicros(pid);
            json.set("connect", c.toJson());
            json.put("clients", n);
            json.put("joined", c.ready);
            json.put("failed", c.failed);
            json.put("wallMicrosToAllJoined", c.elapsedMicros);
            json.put("serverCpuMicrosPerJoin", perClient(cpu0, cpu1, c.ready));
            // Of that, a JVM's JIT compiler threads (-1 for a server without them).
            json.put("serverJitCpuMicrosPerJoin", perClient(jit0, jit1, c.ready));
            json.put("serverRssJoinedBytes", rssJoined);
            json.put("closesSeen", closes);
            json.put("wallMicrosToAllClosed", closeMicros);
            json.put("serverCpuMicrosPerClose", perClient(cpu1, cpu2, closes));
            System.err.printf("%d joined, %d failed in %.2f s: %.0f µs server CPU per client; %d closed: %.0f µs each%s%n",
                    c.ready, c.failed, c.elapsedMicros / 1e6, json.get("serverCpuMicrosPerJoin").asDouble(), closes,
                    json.get("serverCpuMicrosPerClose").asDouble(),
                    c.firstFailure == null ? "" : "; first failure: " + c.firstFailure);
        }
        return new Phase(json);
    }

    private static double perClient(long before, long after, long clients) {
        return before < 0 || after < 0 || clients <= 0 ? -1 : (double) (after - before) / clients;
    }

    /** RSS of the server, summed over a comma-separated list of processes; -1 when unreadable. */
    private static long rss(String pid) {
        long sum = 0;
        for (String one : pid.split(",")) {
            long b = ProcStats.rssBytes(one.trim());
            if (b < 0) {
                return -1;
            }
            sum += b;
        }
        return sum;
    }

    /**
     * Waits until the server has finished what the last phase gave it (closes are processed after the client saw
     * its socket end; presence leaves fan out after that): its CPU over {@link #QUIET_MILLIS} below a small share
     * of a core, at most {@link #QUIET_MAX_MILLIS}.
     */
    private static void awaitQuiet(String pid) throws InterruptedException {
        long deadline = System.nanoTime() + QUIET_MAX_MILLIS * 1_000_000;
        long last = ProcStats.cpuMicros(pid);
        if (last < 0) {
            return;
        }
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_MILLIS);
            long now = ProcStats.cpuMicros(pid);
            if (now - last < QUIET_CORE_SHARE * QUIET_MILLIS * 1_000) {
                return;
            }
            last = now;
        }
    }

    /** The figures of one phase, as JSON and as a row of the report. */
    private record Phase(ObjectNode json) {
        Map<String, String> row(String what) {
            Map<String, String> r = Report.row();
            r.put("phase", what);
            r.put("joined", json.get("joined").asText());
            r.put("failed", json.get("failed").asText());
            r.put("wall s to all joined", Report.fmt(json.get("wallMicrosToAllJoined").asLong() / 1e6));
            r.put("**server CPU µs/client (join)**", "**" + Report.fmt(json.get("serverCpuMicrosPerJoin").asDouble()) + "**");
            double jit = json.get("serverJitCpuMicrosPerJoin").asDouble();
            r.put("of which JIT µs/client", jit < 0 ? "–" : Report.fmt(jit));
            r.put("closes seen", json.get("closesSeen").asText());
            r.put("server CPU µs/client (close)", Report.fmt(json.get("serverCpuMicrosPerClose").asDouble()));
            r.put("RSS joined MiB", Report.fmt(json.get("serverRssJoinedBytes").asLong() / 1048576.0));
            return r;
        }
    }
}
