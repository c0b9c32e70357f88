package dev.switchboard.server.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.testing.AppAuth;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.NodeProcess;
import dev.switchboard.server.testing.PresenceHistory;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.RedisClusterServer;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, Redis Cluster failover as an operator meets it: three node processes with their default heartbeat and
 * lease on a Redis Cluster of three masters and three replicas, clients of a presence and a public channel on every
 * node, an event published through node 1 every 250 ms on each channel; the master serving slot 0 (which holds the
 * channels' slots) is killed with -9. During the failover one member leaves and clients on two nodes subscribe to
 * two more channels of that shard (one of them presence). Delivery to every client on every node must resume within
 * 2 × {@code cluster-node-timeout} + 5 s of the kill (plus a margin for a loaded machine here; the chaos script
 * holds runs to the bound itself), each event then delivered once; presence must be right afterwards (every roster,
 * checked as a history, and the HTTP API of every node), and no node may flap between "unreachable" and "reachable
 * again".
 *
 * <p>The timeout is {@value #DEFAULT_NODE_TIMEOUT_MILLIS} ms here; {@code scripts/chaos-redis-cluster} runs the
 * same scenario at longer ones ({@code -Dswitchboard.failover.nodeTimeoutMillis}) and collects the lines this
 * prints with the prefix {@code [failover]}.
 */
class RedisClusterMasterKillTest {
    static final int DEFAULT_NODE_TIMEOUT_MILLIS = 1000;
    private static final int NODE_TIMEOUT_MILLIS =
            Integer.getInteger("switchboard.failover.nodeTimeoutMillis", DEFAULT_NODE_TIMEOUT_MILLIS);
    /** Issue 20: delivery resumes within this of the kill. */
    private static final Duration RESUME_BOUND = Duration.ofMillis(2L * NODE_TIMEOUT_MILLIS + 5000);
    /**
     * Asserted here: the bound plus a margin for a machine loaded by other builds (as ClusterFailureTest's deadlines
     * have). scripts/chaos-redis-cluster holds each run to the bound itself.
     */
    private static final Duration LOADED_MACHINE_MARGIN = Duration.ofSeconds(5);
    private static final long PUBLISH_EVERY_MILLIS = 250;
    /** Events in a row a client must hold, each once, for its delivery to count as resumed. */
    private static final int RESUMED_RUN = 8;
    private static final String APP_ID = SwitchboardExtension.APP_ID;
    private static final String APP_KEY = SwitchboardExtension.APP_KEY;
    private static final String APP_SECRET = SwitchboardExtension.APP_SECRET;

    private static final AppAuth AUTH = new AppAuth(APP_ID, APP_KEY, APP_SECRET,
            SwitchboardExtension.ENCRYPTION_MASTER_KEY);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private RedisClusterServer redis;
    private boolean passed;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (!passed) {
            for (NodeProcess n : nodes) {
                System.err.println("--- " + n.name() + " ---\n" + n.logTail(6000));
            }
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** One client socket of a node, and the channels it subscribed to. */
    private record Client(String name, int node, RawSocket socket, List<String> channels) {
        /** The sequence numbers of the ticks it received on {@code channel}, in arrival order. */
        List<Integer> ticks(String channel) {
            List<Integer> out = new ArrayList<>();
            for (String frame : socket.frames()) {
                JsonNode f = Json.parse(frame);
                if ("tick".equals(f.path("event").asText()) && channel.equals(f.path("channel").asText())) {
                    JsonNode data = f.path("data");
                    out.add((data.isTextual() ? Json.parse(data.textValue()) : data).path("seq").asInt());
                }
            }
            return out;
        }

        boolean subscribed(String channel) {
            return socket.events("pusher_internal:subscription_succeeded").stream()
                    .anyMatch(f -> channel.equals(f.path("channel").asText()));
        }
    }

    @Test
    void deliveryAndPresenceResumeOnEveryNodeAfterTheMasterOfSlotZeroIsKilled() throws Exception {
        redis = RedisClusterServer.start(NODE_TIMEOUT_MILLIS);
        RedisServer victim = redis.masterOfSlot(0);
        String room = channelOn(victim, "presence-room");
        String news = channelOn(victim, "news");
        String lateRoom = channelOn(victim, "presence-late");
        String lateNews = channelOn(victim, "late-news");
        Path dir = Files.createTempDirectory("switchboard-failover-");
        Path config = dir.resolve("config.json");
        Files.writeString(config, Json.write(config()));
        for (int i = 1; i <= 3; i++) {
            nodes.add(NodeProcess.start("node" + i, dir, List.of("--config", config.toString(),
                    "--redis-cluster", redis.urls())));
        }
        List<Client> clients = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            // One after the other: concurrent joins are another test's subject (issue 20, item 2).
            Client c = client(i, "user-" + i, List.of(room, news));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> c.subscribed(room) && c.subscribed(news));
            clients.add(c);
        }
        // One more member on node 3, who leaves during the failover.
        Client leaver = client(3, "leaver", List.of(room));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> leaver.subscribed(room));
        Set<String> roomMembers = Set.of("user-1", "user-2", "user-3");
        Awaitility.await("every roster complete before the kill").atMost(Duration.ofSeconds(10))
                .until(() -> clients.stream().allMatch(c -> c.subscribed(room) && c.subscribed(news))
                        && history(clients).endViolations(room, withLeaver(roomMembers)).isEmpty());

        com.pusher.rest.Pusher http = http(1);
        Map<Integer, Long> publishedAt = new ConcurrentHashMap<>();
        AtomicInteger seq = new AtomicInteger();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        open.add(publisher::shutdownNow);
        publisher.scheduleAtFixedRate(() -> {
            int n = seq.incrementAndGet();
            publishedAt.put(n, System.nanoTime());
            for (String ch : List.of(room, news, lateRoom, lateNews)) {
                try {
                    http.trigger(ch, "tick", Map.of("seq", n));
                } catch (RuntimeException e) {
                    // Node 1 answers even while a shard is down; a failure here shows as a missing tick.
                }
            }
        }, 0, PUBLISH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        Awaitility.await("ticks on every node before the kill").atMost(Duration.ofSeconds(10))
                .until(() -> clients.stream().allMatch(c -> c.ticks(room).size() >= 2 && c.ticks(news).size() >= 2));
        int[] logLinesBefore = new int[3];
        for (int i = 0; i < 3; i++) {
            logLinesBefore[i] = nodes.get(i).logTail(Integer.MAX_VALUE).split("\n").length;
        }

        long killed = System.nanoTime();
        victim.kill();
        leaver.socket.close();
        // Subscribed during the failover, on the failed shard's channels, on nodes 2 and 3.
        for (int i = 2; i <= 3; i++) {
            clients.add(client(i, "late-" + i, List.of(lateRoom, lateNews)));
        }
        Set<String> lateMembers = Set.of("late-2", "late-3");
        try {
            Awaitility.await("delivery resumed on every node").atMost(RESUME_BOUND.plus(LOADED_MACHINE_MARGIN)
                            .plusSeconds(5))
                    .pollInterval(Duration.ofMillis(100)).until(() -> clients.stream()
                            .allMatch(c -> c.channels.stream().allMatch(ch -> resumedFrom(c.ticks(ch)) > 0)));
        } catch (ConditionTimeoutException e) {
            StringBuilder stuck = new StringBuilder("delivery did not resume within "
                    + RESUME_BOUND.plus(LOADED_MACHINE_MARGIN).plusSeconds(5)
                    + " of the kill (last tick published " + seq.get() + "):");
            for (Client c : clients) {
                for (String ch : c.channels) {
                    List<Integer> ticks = c.ticks(ch);
                    stuck.append("\n  ").append(c.name).append(" on node").append(c.node).append(", ").append(ch)
                            .append(": ").append(ticks.size()).append(" ticks, last ")
                            .append(ticks.subList(Math.max(0, ticks.size() - 5), ticks.size()));
                }
            }
            throw new AssertionError(stuck.toString(), e);
        }
        redis.awaitHealthy();
        long gap = 0;
        String slowest = "";
        for (Client c : clients) {
            for (String ch : c.channels) {
                long at = publishedAt.get(resumedFrom(c.ticks(ch))) - killed;
                if (at > gap) {
                    gap = at;
                    slowest = c.name + " on node" + c.node + ", " + ch;
                }
            }
        }
        System.out.printf("[failover] cluster-node-timeout %d ms: kill -9 to delivery resumed for every client "
                + "%d ms (last: %s), bound %d ms%n", NODE_TIMEOUT_MILLIS, gap / 1_000_000, slowest,
                RESUME_BOUND.toMillis());
        assertThat(Duration.ofNanos(gap)).as("kill -9 to delivery resumed everywhere")
                .isLessThan(RESUME_BOUND.plus(LOADED_MACHINE_MARGIN));

        // Presence afterwards: every client's roster and every node's HTTP API hold the members, within 10 s: those
        // who joined during the failover included, the one who left during it gone.
        long resumed = System.nanoTime();
        Awaitility.await("rosters and counts right on every node").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    PresenceHistory h = history(clients);
                    h.assertRostersEnd(room, roomMembers);
                    h.assertRostersEnd(lateRoom, lateMembers);
                    for (int i = 1; i <= 3; i++) {
                        assertThat(userCount(i, room)).as("node" + i + " user_count " + room)
                                .isEqualTo(roomMembers.size());
                        assertThat(userCount(i, lateRoom)).as("node" + i + " user_count " + lateRoom)
                                .isEqualTo(lateMembers.size());
                    }
                });
        System.out.printf("[failover] cluster-node-timeout %d ms: presence right on every node %d ms after "
                + "delivery resumed%n", NODE_TIMEOUT_MILLIS, (System.nanoTime() - resumed) / 1_000_000);
        history(clients).assertRostersAreSets();
        // Each tick published after delivery resumed reached each client once.
        for (Client c : clients) {
            for (String ch : c.channels) {
                List<Integer> ticks = c.ticks(ch);
                int from = resumedFrom(ticks);
                assertThat(ticks.stream().filter(t -> t >= from)).as(c.name + " " + ch).doesNotHaveDuplicates();
            }
        }
        // No flapping: at most one "unreachable" and one "reachable again" per node for the one fault.
        for (int i = 0; i < 3; i++) {
            String[] lines = nodes.get(i).logTail(Integer.MAX_VALUE).split("\n");
            long down = 0;
            long up = 0;
            for (int l = logLinesBefore[i]; l < lines.length; l++) {
                boolean d = lines[l].contains("unreachable");
                boolean u = lines[l].contains("reachable again");
                down += d ? 1 : 0;
                up += u ? 1 : 0;
                if (d || u) {
                    System.out.println("[failover] " + nodes.get(i).name() + ": " + lines[l]);
                }
            }
            System.out.printf("[failover] %s: %d unreachable, %d reachable again%n", nodes.get(i).name(), down, up);
            assertThat(down).as(nodes.get(i).name() + " 'unreachable' lines").isLessThanOrEqualTo(1);
            assertThat(up).as(nodes.get(i).name() + " 'reachable again' lines").isLessThanOrEqualTo(1);
        }
        passed = true;
    }

    /**
     * The first tick of the last unbroken run of {@code ticks}, when that run is at least {@link #RESUMED_RUN}
     * long; 0 while delivery has not resumed.
     */
    private static int resumedFrom(List<Integer> ticks) {
        Set<Integer> held = new TreeSet<>(ticks);
        int last = ticks.stream().mapToInt(Integer::intValue).max().orElse(0);
        int from = last;
        while (held.contains(from - 1)) {
            from--;
        }
        return last > 0 && last - from + 1 >= RESUMED_RUN ? from : 0;
    }

    private static Set<String> withLeaver(Set<String> members) {
        Set<String> out = new TreeSet<>(members);
        out.add("leaver");
        return out;
    }

    private static PresenceHistory history(List<Client> clients) {
        PresenceHistory h = new PresenceHistory();
        for (Client c : clients) {
            h.replay(c.name, c.socket.frames());
        }
        return h;
    }

    private int userCount(int node, String channel) {
        return Json.body(http(node).get("/channels/" + channel, Map.of("info", "user_count"))).path("user_count")
                .asInt(-1);
    }

    /** A channel named {@code base-N} whose pub/sub channel and state live on {@code master}'s slots. */
    private String channelOn(RedisServer master, String base) {
        for (int i = 0; ; i++) {
            String name = base + "-" + i;
            if (redis.masterOf("switchboard:{c:" + APP_ID + ":" + name + "}:msg").port() == master.port()) {
                return name;
            }
        }
    }

    /** A socket on {@code node} subscribed to {@code channels} (presence ones as {@code userId}); not awaited. */
    private Client client(int node, String userId, List<String> channels) {
        RawSocket socket = RawSocket.open(nodes.get(node - 1).port(), APP_KEY);
        open.add(socket);
        for (String channel : channels) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("channel", channel);
            if (channel.startsWith("presence-")) {
                JsonNode auth = Json.parse(AUTH.channels(new PresenceUser(userId)).authorize(channel, socket.socketId()));
                data.put("auth", auth.get("auth").asText());
                data.put("channel_data", auth.get("channel_data").asText());
            }
            socket.send(Json.write(Map.of("event", "pusher:subscribe", "data", data)));
        }
        return new Client(userId, node, socket, channels);
    }

    private com.pusher.rest.Pusher http(int node) {
        com.pusher.rest.Pusher http = new com.pusher.rest.Pusher(APP_ID, APP_KEY, APP_SECRET);
        http.setHost("127.0.0.1:" + nodes.get(node - 1).port());
        http.setEncrypted(false);
        open.add(http);
        return http;
    }

    private static Map<String, Object> config() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("shutdown_grace_seconds", 1);
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("id", APP_ID);
        app.put("key", APP_KEY);
        app.put("secret", APP_SECRET);
        settings.put("apps", List.of(app));
        return settings;
    }
}
