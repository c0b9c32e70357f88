package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Scenario 7, rooms: a cluster held full. {@code --connections} clients (over {@code --processes} generator JVMs:
 * one process's open files are one process's), each signed in (user {@code r<i>}) and a member of a presence room
 * of {@code --room-size} (100: Pusher's member cap, and the capacity model's channel of k = 100 subscribers):
 * client i in room i / size, on node i mod K of {@code --ws-ports}, so each room has members on every node. Once
 * every client has joined and the rosters are checked (each client counts its room's members; the sum must be
 * the rooms' sizes squared), events go to the full rooms in turn through node 1's HTTP API at each of
 * {@code --rates} (publishes/s; each one a delivery to every member of a room) for {@code --duration-s}: loss,
 * connections closed, each node's CPU per delivery and Redis's ({@code --node-pids}, {@code --redis-pid}), and each
 * node's RSS before, joined and after the fan-out.
 */
final class RoomsScenario {
    private RoomsScenario() {}

    static int roomSize(Options o) {
        return o.integer("room-size", 100);
    }

    static String room(long index) {
        return "presence-cap-" + index;
    }

    /** Client i by its global index (a child process builds its share alike). */
    static IntFunction<ClientSpec> specs(Options o) {
        int size = roomSize(o);
        return i -> new ClientSpec(room(i / size), "r" + i, "r" + i, false);
    }

    static ObjectNode run(Options o) throws Exception {
        int n = o.integer("connections", 1000);
        int size = roomSize(o);
        int fullRooms = n / size;
        if (fullRooms == 0) {
            throw new IllegalArgumentException("--connections " + n + " fills no room of --room-size " + size);
        }
        List<String> nodes = o.nodePids();
        String cost = nodes.isEmpty() ? o.serverPid()
                : String.join(",", nodes) + (o.redisPid().equals("0") ? "" : "," + o.redisPid());
        ObjectNode result = Report.header(o);
        result.put("roomSize", size);
        result.put("rooms", (n + size - 1) / size);
        result.put("roomsPublishedTo", fullRooms);
        result.put("nodes", o.wsPorts().length);
        result.put("processes", o.integer("processes", 1));
        ArrayNode perNode = result.putArray("nodeFigures");
        for (String node : nodes) {
            perNode.addObject().put("pid", node).put("rssEmptyBytes", ProcStats.rssBytes(node));
        }
        result.put("redisRssEmptyBytes", ProcStats.rssBytes(o.redisPid()));
        Supplier<Map<String, Double>> redis = o.redisPorts().length == 0 ? null : () -> RedisInfo.read(o.host(), o.redisPorts());
        putInfo(result, "redisInfoEmpty", redis);
        List<Map<String, String>> rows = new ArrayList<>();
        String setup;
        try (Fleet fleet = MultiFleet.create(o, n, specs(o));
             HttpPublisher publisher = new HttpPublisher(o, o.integer("publishers", 8))) {
            long cost0 = ProcStats.cpuMicros(cost);
            long[] nodes0 = PublishSteps.cpuOf(nodes);
            long redis0 = ProcStats.cpuMicros(o.redisPid());
            ConnectResult c = Scenarios.connect(fleet, n, result);
            long expected = 0;
            for (int r = 0; r * size < n; r++) {
                long members = Math.min(size, n - (long) r * size);
                expected += members * members;
            }
            long known = awaitKnown(fleet, expected);
            long cost1 = ProcStats.cpuMicros(cost);
            ClusterCpu join = ClusterCpu.of(nodes0, PublishSteps.cpuOf(nodes), redis0, ProcStats.cpuMicros(o.redisPid()),
                    c.ready);
            result.put("membersKnown", known);
            result.put("membersExpected", expected);
            result.put("clusterCpuMicrosPerJoin", cost0 < 0 || cost1 < 0 || c.ready == 0 ? -1 : (double) (cost1 - cost0) / c.ready);
            result.put("redisCpuMicrosPerJoin", join.redisPerDelivery());
            for (int i = 0; i < nodes.size(); i++) {
                ((ObjectNode) perNode.get(i)).put("cpuMicrosPerJoin", join.nodePerDelivery(i))
                        .put("rssJoinedBytes", ProcStats.rssBytes(nodes.get(i)));
            }
            putInfo(result, "redisInfoJoined", redis);
            if (redis != null) {
                // Redis's traffic with nothing published (heartbeats; on a Redis Cluster Lettuce's topology refreshes):
                // what a step's bytes per publish include besides the publishes.
                Map<String, Double> idle0 = redis.get();
                long t0 = System.nanoTime();
                Thread.sleep((long) (o.number("baseline-s", 2) * 1000));
                double idleBytes = RedisInfo.clientBytes(RedisInfo.delta(idle0, redis.get()));
                result.put("redisIdleBytesPerSecond", idleBytes / ((System.nanoTime() - t0) / 1e9));
            }
            setup = String.format("set-up: %d joined, %d failed in %.1f s; members known %d of %d; cluster CPU %s µs per"
                            + " client joined (each node %s, Redis %s)", c.ready, c.failed, c.elapsedMicros / 1e6, known,
                    expected, Report.fmt(result.get("clusterCpuMicrosPerJoin").asDouble()), join.perNodeText(),
                    Report.fmt(join.redisPerDelivery()));
            System.err.println(setup);
            result.set("steps", PublishSteps.run(o, fleet, publisher, size, seq -> room(seq % fullRooms), rows, redis));
            putInfo(result, "redisInfoAfter", redis); // before the clients close
            for (int i = 0; i < nodes.size(); i++) {
                ((ObjectNode) perNode.get(i)).put("rssAfterBytes", ProcStats.rssBytes(nodes.get(i)));
            }
            result.put("redisRssAfterBytes", ProcStats.rssBytes(o.redisPid()));
        }
        Report.write(o, result, "Rooms: " + n + " signed-in clients in presence rooms of " + size + " over "
                        + o.wsPorts().length + " node(s), fan-out to the rooms", rows,
                setup + "; then open-loop HTTP triggers to the " + fullRooms + " full rooms in turn on node 1, "
                        + o.number("duration-s", 10) + " s per rate, warm-up " + o.number("warmup-s", 3) + " s");
        return result;
    }

    private static void putInfo(ObjectNode result, String field, Supplier<Map<String, Double>> redis) {
        if (redis != null) {
            ObjectNode n = result.putObject(field);
            redis.get().forEach(n::put);
        }
    }

    /**
     * The clients' presence member count (every process's) once it is right, or once it has not moved for two
     * seconds: the member_added of the last joins are still on their way when the last join is confirmed.
     */
    private static long awaitKnown(Fleet fleet, long expected) throws Exception {
        long last = fleet.endStep().known;
        long still = System.nanoTime();
        while (last != expected && System.nanoTime() - still < 2_000_000_000L) {
            Thread.sleep(100);
            long now = fleet.endStep().known;
            if (now != last) {
                last = now;
                still = System.nanoTime();
            }
        }
        return last;
    }
}
