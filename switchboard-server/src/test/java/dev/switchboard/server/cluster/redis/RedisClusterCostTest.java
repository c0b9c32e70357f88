package dev.switchboard.server.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.server.cluster.BrokerContract;
import dev.switchboard.server.cluster.RecordedTransitions;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.ChannelState.Member;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.testing.RedisClusterServer;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each cluster operation costs the Redis Cluster, read from the servers' own counters ({@code INFO
 * commandstats}, {@code INFO stats}) around a batch of operations by three nodes: commands per operation, on how
 * many shards, and client bytes (in + out) per operation. The figures are logged (docs/cluster.md, Capacity, quotes
 * them); what is asserted is the shape the capacity model relies on: a publish, a join, a leave, a sign-in and a
 * heartbeat each cost a fixed number of commands (one script or one SPUBLISH, plus at most one write to this
 * node's index on the node's own slot), on the shard of their slot, never on every shard.
 */
class RedisClusterCostTest {
    private static final Logger log = LoggerFactory.getLogger(RedisClusterCostTest.class);
    private static final String APP = "app-1";
    private static final int OPS = 300;
    /** Commands of the test's own reading and of Lettuce's topology refresh, not of the operations measured. */
    private static final Set<String> BACKGROUND = Set.of("info", "hello", "ping", "command", "readonly", "auth",
            "select", "role", "replconf", "psync", "sync");

    private static RedisClusterServer redis;
    private static final RedisNodes nodes = new RedisNodes();
    private static final List<RedisCluster> cluster = new ArrayList<>();
    private static final List<BrokerContract.Recorded> delivered = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisClusterServer.start();
        for (int n = 0; n < 3; n++) {
            // a long heartbeat keeps the leases out of the operation batches; the heartbeat is measured on its own
            RedisCluster node = nodes.start(redis, 60_000, 180_000);
            BrokerContract.Recorded d = new BrokerContract.Recorded();
            node.broker().start(d);
            node.state().start(new RecordedTransitions());
            cluster.add(node);
            delivered.add(d);
        }
    }

    @AfterAll
    static void stop() {
        nodes.close();
        redis.close();
    }

    private static <T> T await(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Per master: calls by command, and client bytes in + out. */
    private record Reading(Map<Integer, Map<String, Long>> calls, Map<Integer, Long> bytes) {}

    private static Reading read() {
        Map<Integer, Map<String, Long>> calls = new HashMap<>();
        Map<Integer, Long> bytes = new HashMap<>();
        for (RedisServer m : redis.masters()) {
            Map<String, Long> c = new HashMap<>();
            for (String line : m.command("INFO", "commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring(8, line.indexOf(':'));
                    int from = line.indexOf("calls=") + 6;
                    c.put(name, Long.parseLong(line.substring(from, line.indexOf(',', from))));
                }
            }
            calls.put(m.port(), c);
            long b = 0;
            for (String line : m.command("INFO", "stats").split("\r?\n")) {
                if (line.startsWith("total_net_input_bytes:") || line.startsWith("total_net_output_bytes:")) {
                    b += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            bytes.put(m.port(), b);
        }
        return new Reading(calls, bytes);
    }

    /** What happened between two readings, per operation. */
    /**
     * Per operation: calls by command (the ones a node sends, and those its scripts make inside Redis, which
     * commandstats counts too), on how many shards each command ran, and client bytes in + out.
     */
    private record Cost(Map<String, Double> commands, Map<String, Integer> shardsBy, double bytes) {
        double sent() {
            return SENT.stream().mapToDouble(c -> commands.getOrDefault(c, 0.0)).sum();
        }

        int shards(String command) {
            return shardsBy.getOrDefault(command, 0);
        }
    }

    /** What a node sends itself on these paths; everything else counted ran inside a script. */
    private static final Set<String> SENT = Set.of("evalsha", "eval", "spublish", "ssubscribe", "sunsubscribe");

    private static Reading emptyDelta;

    private static Cost measure(String what, int ops, Runnable batch) {
        if (emptyDelta == null) {
            Reading a = read();
            emptyDelta = new Reading(Map.of(), diffBytes(a, read())); // what one reading costs in bytes
        }
        Reading before = read();
        batch.run();
        Reading after = read();
        Map<String, Double> commands = new HashMap<>();
        Map<String, Integer> shardsBy = new HashMap<>();
        double bytes = 0;
        for (Integer port : after.calls().keySet()) {
            for (Map.Entry<String, Long> e : after.calls().get(port).entrySet()) {
                if (BACKGROUND.contains(e.getKey()) || e.getKey().startsWith("cluster|")
                        || e.getKey().startsWith("client|")) {
                    continue;
                }
                long d = e.getValue() - before.calls().getOrDefault(port, Map.of()).getOrDefault(e.getKey(), 0L);
                if (d > 0) {
                    shardsBy.merge(e.getKey(), 1, Integer::sum);
                    commands.merge(e.getKey(), (double) d / ops, Double::sum);
                }
            }
            bytes += after.bytes().get(port) - before.bytes().get(port) - emptyDelta.bytes().getOrDefault(port, 0L);
        }
        Cost c = new Cost(commands, shardsBy, bytes / ops);
        StringBuilder calls = new StringBuilder();
        commands.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> calls.append(' ')
                .append(e.getKey()).append('=').append(String.format("%.2f", e.getValue()))
                .append(" (").append(shardsBy.get(e.getKey())).append(" shard)"));
        log.info("cost of one {}: {} sent, calls{}; {} client bytes", what, String.format("%.2f", c.sent()), calls,
                Math.round(c.bytes()));
        return c;
    }

    private static Map<Integer, Long> diffBytes(Reading a, Reading b) {
        Map<Integer, Long> out = new HashMap<>();
        for (Integer port : b.bytes().keySet()) {
            out.put(port, b.bytes().get(port) - a.bytes().get(port));
        }
        return out;
    }

    @Test
    void eachOperationTouchesOneShardWithAFixedNumberOfCommands() {
        Topic topic = Topic.channel(APP, "presence-cost");
        for (RedisCluster node : cluster) {
            await(node.broker().interest(topic, true));
        }
        byte[] payload = ("{\"event\":\"e\",\"channel\":\"presence-cost\",\"data\":\"" + "x".repeat(100) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Cost publish = measure("publish (" + payload.length + " B frame, 3 subscribed nodes)", OPS, () -> {
            for (int i = 0; i < OPS; i++) {
                cluster.get(i % 3).broker().publish(topic, Frame.ofBytes(payload), null);
            }
            // each node gets the others' events: two thirds of all
            Waits.eventually().until(() -> delivered.stream().allMatch(d -> d.lines.size() == OPS));
        });
        assertThat(publish.commands()).containsOnlyKeys("spublish");
        assertThat(publish.commands().get("spublish")).isEqualTo(1.0);
        assertThat(publish.shards("spublish")).isEqualTo(1);

        Cost join = measure("presence join (user's first connection)", OPS, () -> {
            for (int i = 0; i < OPS; i++) {
                await(cluster.get(i % 3).state().channels().join(APP, "presence-cost", new Member("u" + i, "{}"), null, 1000));
            }
        });
        // the script publishes the member_added itself, on the same shard (docs/cluster.md, the membership order)
        assertThat(join.sent() - join.commands().get("spublish")).isCloseTo(1.0, within(0.02)); // + a NOSCRIPT reload per master
        assertThat(join.commands().get("spublish")).isEqualTo(1.0);
        assertThat(join.shards("evalsha")).isEqualTo(1);
        assertThat(join.shards("spublish")).isEqualTo(1);
        Cost leave = measure("presence leave (user's last connection)", OPS, () -> {
            for (int i = 0; i < OPS; i++) {
                await(cluster.get(i % 3).state().channels().leave(APP, "presence-cost", "u" + i, null));
            }
        });
        assertThat(leave.sent() - leave.commands().get("spublish")).isCloseTo(1.0, within(0.02)); // + a NOSCRIPT reload per master
        assertThat(leave.commands().get("spublish")).isEqualTo(1.0);
        assertThat(leave.shards("evalsha")).isEqualTo(1);

        Cost signIn = measure("sign-in (no watchlist)", OPS, () -> {
            for (int i = 0; i < OPS; i++) {
                await(cluster.get(i % 3).state().users().signIn(APP, "user-" + i, "{\"id\":\"user-" + i + "\"}", List.of(),
                        List.of(), false));
            }
        });
        // the script publishes the online to the user's watchers itself, on the same shard (docs/cluster.md,
        // "Watchlists: one order per user"), whether anyone watches or not: the watchers' index is written after
        // their own sign-in, so it cannot tell that nobody is about to
        assertThat(signIn.sent() - signIn.commands().get("spublish")).isCloseTo(1.0, within(0.02)); // + a NOSCRIPT reload per master
        assertThat(signIn.commands().get("spublish")).isEqualTo(1.0);
        Cost signOut = measure("sign-out (last connection)", OPS, () -> {
            for (int i = 0; i < OPS; i++) {
                await(cluster.get(i % 3).state().users().signOut(APP, "user-" + i, List.of()));
            }
        });
        assertThat(signOut.sent() - signOut.commands().get("spublish")).isCloseTo(1.0, within(0.02)); // + a NOSCRIPT reload per master
        assertThat(signOut.commands().get("spublish")).isEqualTo(1.0);

        Cost subscribe = measure("first local interest (SSUBSCRIBE) and last (SUNSUBSCRIBE)", OPS, () -> {
            for (int i = 0; i < OPS; i++) {
                Topic t = Topic.channel(APP, "room-" + i);
                await(cluster.get(0).broker().interest(t, true));
                await(cluster.get(0).broker().interest(t, false));
            }
        });
        assertThat(subscribe.commands()).containsOnlyKeys("ssubscribe", "sunsubscribe");
        assertThat(subscribe.sent()).isCloseTo(2.0, within(0.02));
    }

    @Test
    void aHeartbeatIsOneScriptOnTheShardOfTheLeases() {
        RedisNodes beating = new RedisNodes();
        try {
            for (int n = 0; n < 3; n++) {
                beating.start(redis, 200, 2000).state().start(new RecordedTransitions());
            }
            Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> redis.calls("evalsha") > 0);
            long base = redis.calls("evalsha");
            Cost beats = measure("batch of 30 heartbeats (3 nodes at 200 ms)", 30, () ->
                    Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                            .until(() -> redis.calls("evalsha") >= base + 30));
            assertThat(beats.shards("evalsha")).isEqualTo(1);
            // 30 awaited; a few more land before the reading: the per-beat figure is bytes over scripts run
            assertThat(beats.sent()).isBetween(0.9, 1.5);
            log.info("one heartbeat: {} client bytes", Math.round(beats.bytes() / beats.sent()));
        } finally {
            beating.close();
        }
    }
}
