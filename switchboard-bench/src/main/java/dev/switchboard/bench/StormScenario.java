package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Scenario 6, a reconnect storm: what a node pays when every client of a restarted node comes back at once.
 * {@code --connections} clients connect as fast as the server takes them ({@code --ramp-inflight} handshakes in
 * flight), each signs in with {@code pusher:signin} (signed user_data, user {@code s<i>}; off with
 * {@code --signin false}) and joins a presence channel with signed channel_data: a room of its own, or with
 * {@code --rooms R} one of R shared rooms (so each join is also a member_added to the room's members already
 * there); then all of them close at once (a close frame each, as pusher-js's disconnect).
 *
 * <p>Before the storm, {@code --warmup-clients} (1000; 0 for none) do the same in rooms of their own kind and
 * close again: on a freshly started server that is the cold figure, and the storm after it the warm one. Server
 * CPU is read from /proc ({@code --server-pid}, a comma-separated list summed) before and after each phase, after
 * the server has gone quiet; nothing here needs a JVM server.
 *
 * <p>On a cluster the clients go round robin over {@code --ws-ports} (client i on node i mod K), a shared room
 * takes one client of every node in turn (its members spread evenly over the nodes), and with {@code --node-pids}
 * and {@code --redis-pid} each phase is priced per node, for Redis, and summed: the cluster's CPU per client. Every
 * phase checks the rosters: each client counts its room's members (the roster of its subscription_succeeded, plus
 * member_added, minus member_removed), and the sum must be the sum of the rooms' sizes squared, whichever nodes the
 * members joined through.
 */
final class StormScenario {
    /** A phase is over when every process spends less than this share of a core over {@link #QUIET_MILLIS}. */
    private static final double QUIET_CORE_SHARE = 0.04;
    /** With /proc's 10 ms ticks: quiet is at most one tick in this long. */
    private static final long QUIET_MILLIS = 300;
    private static final long QUIET_MAX_MILLIS = 10_000;
    /** The rosters are final when their count is right, or has not moved for this long. */
    private static final long ROSTER_STILL_MILLIS = 1_000;

    private StormScenario() {}

    /**
     * Client i of a phase: user {@code <prefix><i>}, on node i mod {@code nodes} (ClientFleet's round robin); in a
     * room of its own, or in shared room (i / nodes) mod R, so that each turn of the round robin puts one client of
     * every node into a room. On one node that is room i mod R.
     */
    static IntFunction<ClientSpec> specs(String prefix, int rooms, boolean signin, int nodes) {
        return i -> {
            String user = prefix + i;
            String room = rooms > 0 ? "presence-" + prefix + "room-" + ((i / nodes) % rooms) : "presence-" + prefix + "own-" + i;
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
        Pids pids = new Pids(o);
        ObjectNode result = Report.header(o);
        result.put("rooms", rooms);
        result.put("signin", signin);
        result.put("warmupClients", warmup);
        result.put("nodes", o.wsPorts().length);
        result.put("serverRssEmptyBytes", ProcStats.rssBytes(pids.server));
        awaitQuiet(pids.all);
        // What the processes spend doing nothing (heartbeats, Redis's cron), to tell it from a storm's cost.
        double idle = PublishSteps.baseline(pids.cost, o.number("baseline-s", 2));
        result.put("idleCpuPercent", idle);
        List<Map<String, String>> rows = new ArrayList<>();
        if (warmup > 0) {
            Phase cold = phase(o, pids, "w", warmup, rooms, signin, idle);
            result.set("cold", cold.json);
            rows.add(cold.row("cold: first " + warmup + " on " + (pids.cluster() ? "these nodes" : "this server"), pids));
        }
        Phase storm = phase(o, pids, "s", n, rooms, signin, idle);
        result.set("storm", storm.json);
        rows.add(storm.row(warmup > 0 ? "warm: " + n + " after the warm-up" : "storm of " + n, pids));
        int nodes = o.wsPorts().length;
        Report.write(o, result, "Reconnect storm: " + n + " clients, " + (signin ? "sign-in + " : "")
                        + (rooms > 0 ? "presence in " + rooms + " shared rooms" : "presence, a room each")
                        + (nodes > 1 ? ", round robin over " + nodes + " nodes" : ""), rows,
                "server CPU per client from /proc over each phase (connect, sign-in, join; then all close), read once"
                        + " the server is quiet; wall time from the first connect to the last join confirmed; members"
                        + " known = rosters at subscription_succeeded + member_added, summed over the clients"
                        + (pids.cluster() ? "; cluster = every node + Redis, idle = their CPU while nothing happens"
                        + " (" + Report.fmt(idle) + " % of a core), taken off over the join's measured span" : ""));
        return result;
    }

    /** One storm: connect, sign in and join every client, then close them all; the figures of both halves. */
    private static Phase phase(Options o, Pids p, String prefix, int n, int rooms, boolean signin, double idle)
            throws Exception {
        ObjectNode json = WireCodec.mapper().createObjectNode();
        awaitQuiet(p.all);
        long cpu0 = ProcStats.cpuMicros(p.server);
        long jit0 = ProcStats.jitCpuMicros(p.server);
        long cost0 = ProcStats.cpuMicros(p.cost);
        long[] nodes0 = PublishSteps.cpuOf(p.nodes);
        long redis0 = ProcStats.cpuMicros(p.redis);
        long t0 = System.nanoTime();
        System.err.printf("storm %s: %d clients…%n", prefix, n);
        try (ClientFleet fleet = new ClientFleet(o, n, specs(prefix, rooms, signin, o.wsPorts().length))) {
            ConnectResult c = fleet.connect();
            awaitQuiet(p.all);
            long expected = expectedKnown(fleet);
            long known = awaitKnown(fleet, expected);
            long cpu1 = ProcStats.cpuMicros(p.server);
            long jit1 = ProcStats.jitCpuMicros(p.server);
            long cost1 = ProcStats.cpuMicros(p.cost);
            long[] nodes1 = PublishSteps.cpuOf(p.nodes);
            long redis1 = ProcStats.cpuMicros(p.redis);
            long joinSpanMicros = (System.nanoTime() - t0) / 1_000;
            long rssJoined = ProcStats.rssBytes(p.server);
            ArrayNode nodes = json.putArray("nodes");
            for (String node : p.nodes) {
                nodes.addObject().put("rssJoinedBytes", ProcStats.rssBytes(node));
            }
            long redisRss = ProcStats.rssBytes(p.redis);
            long closeStart = System.nanoTime();
            long closes = fleet.closeAllAndAwait(30_000);
            long closeMicros = (System.nanoTime() - closeStart) / 1_000;
            awaitQuiet(p.all);
            long cpu2 = ProcStats.cpuMicros(p.server);
            long cost2 = ProcStats.cpuMicros(p.cost);
            long[] nodes2 = PublishSteps.cpuOf(p.nodes);
            long redis2 = ProcStats.cpuMicros(p.redis);
            json.set("connect", c.toJson());
            json.put("clients", n);
            json.put("joined", c.ready);
            json.put("failed", c.failed);
            json.put("wallMicrosToAllJoined", c.elapsedMicros);
            json.put("membersKnown", known);
            json.put("membersExpected", expected);
            json.put("serverCpuMicrosPerJoin", perClient(cpu0, cpu1, c.ready));
            // Of that, a JVM's JIT compiler threads (-1 for a server without them).
            json.put("serverJitCpuMicrosPerJoin", perClient(jit0, jit1, c.ready));
            json.put("serverRssJoinedBytes", rssJoined);
            json.put("closesSeen", closes);
            json.put("wallMicrosToAllClosed", closeMicros);
            json.put("serverCpuMicrosPerClose", perClient(cpu1, cpu2, closes));
            // The cluster: every node and Redis with --node-pids, else the server; the same fields either way, so a
            // script compares one node with three by one name.
            json.put("clusterCpuMicrosPerJoin", perClient(cost0, cost1, c.ready));
            json.put("joinSpanMicros", joinSpanMicros);
            json.put("clusterCpuMicrosPerJoinAboveIdle", cost0 < 0 || cost1 < 0 || idle < 0 || c.ready == 0 ? -1
                    : Math.max(0, cost1 - cost0 - idle * 1e4 * joinSpanMicros / 1e6) / c.ready);
            json.put("clusterCpuMicrosPerClose", perClient(cost1, cost2, closes));
            ClusterCpu join = ClusterCpu.of(nodes0, nodes1, redis0, redis1, c.ready);
            ClusterCpu close = ClusterCpu.of(nodes1, nodes2, redis1, redis2, closes);
            for (int i = 0; i < p.nodes.size(); i++) {
                ((ObjectNode) nodes.get(i)).put("cpuMicrosPerJoin", join.nodePerDelivery(i))
                        .put("cpuMicrosPerClose", close.nodePerDelivery(i));
            }
            json.put("redisCpuMicrosPerJoin", join.redisPerDelivery());
            json.put("redisCpuMicrosPerClose", close.redisPerDelivery());
            json.put("redisRssJoinedBytes", redisRss);
            System.err.printf("%d joined, %d failed in %.2f s: %.0f µs server CPU per client (cluster %.0f); members known"
                            + " %d of %d; %d closed: %.0f µs each%s%n",
                    c.ready, c.failed, c.elapsedMicros / 1e6, json.get("serverCpuMicrosPerJoin").asDouble(),
                    json.get("clusterCpuMicrosPerJoin").asDouble(), known, expected, closes,
                    json.get("serverCpuMicrosPerClose").asDouble(),
                    c.firstFailure == null ? "" : "; first failure: " + c.firstFailure);
            return new Phase(json, join, close);
        }
    }

    /** Every room's joined members squared, summed: what the clients know when every roster is right. */
    private static long expectedKnown(ClientFleet fleet) {
        Map<String, Long> members = new HashMap<>();
        for (PusherClient c : fleet.clients()) {
            members.merge(c.spec().channel, 1L, Long::sum);
        }
        return members.values().stream().mapToLong(m -> m * m).sum();
    }

    /**
     * The clients' member count once it is right, or once it has not moved for {@link #ROSTER_STILL_MILLIS} (a
     * member_added lost or doubled never comes right); the servers are quiet by now, only frames in flight remain.
     */
    private static long awaitKnown(ClientFleet fleet, long expected) throws InterruptedException {
        long last = fleet.known();
        long still = System.nanoTime();
        while (last != expected && System.nanoTime() - still < ROSTER_STILL_MILLIS * 1_000_000) {
            Thread.sleep(20);
            long now = fleet.known();
            if (now != last) {
                last = now;
                still = System.nanoTime();
            }
        }
        return last;
    }

    private static double perClient(long before, long after, long clients) {
        return before < 0 || after < 0 || clients <= 0 ? -1 : (double) (after - before) / clients;
    }

    /**
     * Waits until the processes have finished what the last phase gave them (closes are processed after the client
     * saw its socket end; presence leaves fan out after that, across a cluster through Redis): each one's CPU over
     * {@link #QUIET_MILLIS} below a small share of a core, at most {@link #QUIET_MAX_MILLIS}.
     */
    private static void awaitQuiet(List<String> pids) throws InterruptedException {
        long deadline = System.nanoTime() + QUIET_MAX_MILLIS * 1_000_000;
        long[] last = PublishSteps.cpuOf(pids);
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_MILLIS);
            long[] now = PublishSteps.cpuOf(pids);
            boolean quiet = true;
            for (int i = 0; i < now.length; i++) {
                quiet &= last[i] < 0 || now[i] - last[i] < QUIET_CORE_SHARE * QUIET_MILLIS * 1_000;
            }
            if (quiet) {
                return;
            }
            last = now;
        }
    }

    /**
     * The processes read: the server ({@code --server-pid}: one, or the nodes as a list), the nodes and Redis of a
     * cluster, what a client costs (the nodes and Redis on a cluster, else the server) and every one of them.
     */
    private static final class Pids {
        final String server;
        final List<String> nodes;
        final String redis;
        final String cost;
        final List<String> all;

        Pids(Options o) {
            server = o.serverPid();
            nodes = o.nodePids();
            redis = o.redisPid();
            LinkedHashSet<String> every = new LinkedHashSet<>();
            for (String list : List.of(server, String.join(",", nodes), redis)) {
                for (String one : list.split(",")) {
                    if (!one.isBlank() && !one.trim().equals("0")) {
                        every.add(one.trim());
                    }
                }
            }
            all = List.copyOf(every);
            List<String> costly = new ArrayList<>(nodes);
            if (!nodes.isEmpty() && !redis.equals("0")) {
                costly.add(redis);
            }
            cost = nodes.isEmpty() ? server : String.join(",", costly);
        }

        boolean cluster() {
            return !nodes.isEmpty();
        }
    }

    /** The figures of one phase, as JSON and as a row of the report. */
    private record Phase(ObjectNode json, ClusterCpu join, ClusterCpu close) {
        Map<String, String> row(String what, Pids p) {
            Map<String, String> r = Report.row();
            r.put("phase", what);
            r.put("joined", json.get("joined").asText());
            r.put("failed", json.get("failed").asText());
            r.put("members known / expected", json.get("membersKnown").asText() + " / " + json.get("membersExpected").asText());
            r.put("wall s to all joined", Report.fmt(json.get("wallMicrosToAllJoined").asLong() / 1e6));
            String server = Report.fmt(json.get("serverCpuMicrosPerJoin").asDouble());
            if (p.cluster()) {
                r.put("nodes' CPU µs/client (join)", server);
                r.put("each node", join.perNodeText());
                r.put("Redis CPU µs/client", Report.fmt(join.redisPerDelivery()));
                r.put("**cluster CPU µs/client (join)**", "**" + Report.fmt(json.get("clusterCpuMicrosPerJoin").asDouble()) + "**");
                r.put("cluster above idle", Report.fmt(json.get("clusterCpuMicrosPerJoinAboveIdle").asDouble()));
            } else {
                r.put("**server CPU µs/client (join)**", "**" + server + "**");
            }
            double jit = json.get("serverJitCpuMicrosPerJoin").asDouble();
            r.put("of which JIT µs/client", jit < 0 ? "–" : Report.fmt(jit));
            r.put("closes seen", json.get("closesSeen").asText());
            r.put((p.cluster() ? "cluster" : "server") + " CPU µs/client (close)",
                    Report.fmt(json.get("clusterCpuMicrosPerClose").asDouble()));
            r.put("RSS joined MiB", Report.fmt(json.get("serverRssJoinedBytes").asLong() / 1048576.0));
            return r;
        }
    }
}
