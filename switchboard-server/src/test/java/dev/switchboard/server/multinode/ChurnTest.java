package dev.switchboard.server.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.ChaosCluster;
import dev.switchboard.server.testing.ChurnClient;
import dev.switchboard.server.testing.PresenceHistory;
import dev.switchboard.server.testing.WebhookHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Churn with a node killed and restarted (issue 20): three node processes on one redis-server; clients over a pool
 * of users (several clients per user) connect to random nodes, sign in with a watchlist, join and leave a few
 * presence channels and drop their connections, continuously. A third of the way in node 2 is killed (-9); it is
 * restarted (a new process, same port) one lease and a second later, while the churn goes on; clients it dropped
 * connect again to random nodes. When the churn stops, the whole history is checked: every roster was a set at every
 * moment and watchlist states alternated; within 10 s every open connection's rosters and watchlist and every node's
 * HTTP API ({@code users} and {@code user_count}) hold the truth (the users with a subscribed connection, the users
 * signed in). Webhooks are checked for the users pinned to node 1 (a third): a webhook decided but not yet sent by a
 * node killed -9 is lost, and a removal and a return sent by two nodes arrive in best-effort order (docs/webhooks.md,
 * docs/cluster.md), so users spread over nodes cannot be held to alternation; for the pinned ones, whose changes one
 * node decides and sends, member and online webhooks alternate over the whole run and end true. Channel occupied/vacated are
 * left out for the same reason (every channel has node 2's users).
 * Short by default (for the test command); {@code scripts/chaos --churn} runs 60 s of 150 clients over 50 users with
 * the default heartbeat and lease ({@code switchboard.chaos.*}, {@code switchboard.churn.*} properties).
 */
class ChurnTest {
    private static final int HEARTBEAT = Integer.getInteger("switchboard.chaos.heartbeat", 250);
    private static final int NODE_TIMEOUT = Integer.getInteger("switchboard.chaos.nodeTimeout", 2000);
    private static final int RUNS = Integer.getInteger("switchboard.chaos.runs", 1);
    private static final String RESULTS = System.getProperty("switchboard.chaos.results");
    private static final int SECONDS = Integer.getInteger("switchboard.churn.seconds", 15);
    private static final int CLIENTS = Integer.getInteger("switchboard.churn.clients", 30);
    private static final int USERS = Integer.getInteger("switchboard.churn.users", 10);
    private static final int CHANNELS = 3;
    /** Churn steps per second over all clients: each joins, leaves or reconnects about once a second. */
    private static final int STEPS_PER_SECOND = Math.max(20, CLIENTS);
    /** Issue 20: every view is true again within 10 s of the last change. */
    private static final Duration TRUTH_BOUND = Duration.ofSeconds(10);

    private static ChaosCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new ChaosCluster(3, HEARTBEAT, NODE_TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void churnWithANodeKilledAndRestarted() throws Exception {
        for (int run = 1; run <= RUNS; run++) {
            run(run);
        }
    }

    private void run(int run) throws Exception {
        String tag = "churn-" + run + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        List<String> users = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            users.add(tag + "-u" + u);
        }
        List<String> channels = new ArrayList<>();
        for (int ch = 0; ch < CHANNELS; ch++) {
            channels.add("presence-" + tag + "-" + ch);
        }
        Set<String> pinned = new TreeSet<>();
        for (int u = 0; u < USERS; u += 3) {
            pinned.add(users.get(u));
        }
        PresenceHistory history = new PresenceHistory();
        List<ChurnClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int u = i % USERS;
            List<String> watchlist = List.of(users.get((u + 1) % USERS), users.get((u + 2) % USERS));
            clients.add(new ChurnClient(tag + "-c" + i, users.get(u), watchlist, cluster.auth(), cluster.http(),
                    history));
        }
        Random random = new Random();
        Thread restarter = null;
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(SECONDS);
        long killAt = started + TimeUnit.SECONDS.toNanos(SECONDS) / 3;
        boolean killed = false;
        StringBuffer events = new StringBuffer();
        try {
            while (System.nanoTime() < end) {
                if (!killed && System.nanoTime() >= killAt) {
                    killed = true;
                    events.append(java.time.Instant.now()).append(" node 2 killed\n");
                    cluster.node(2).kill9();
                    restarter = new Thread(() -> {
                        // past the lease, so node 1 or 3 has cleaned node 2's users up before it comes back
                        sleep(NODE_TIMEOUT + 1000);
                        cluster.node(2).restart();
                        events.append(java.time.Instant.now()).append(" node 2 restarted\n");
                    }, "churn-restarter");
                    restarter.start();
                }
                ChurnClient c = clients.get(random.nextInt(clients.size()));
                step(c, random, channels, pinned);
                sleep(1000 / STEPS_PER_SECOND); // the churn's pace, not a wait for a condition
            }
            restarter.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(cluster.node(2).running()).as("node 2 restarted").isTrue();
            long stopped = System.nanoTime();
            String[] missing = {null};
            Awaitility.await("every view true after the churn").atMost(TRUTH_BOUND).pollInterval(Duration.ofMillis(50))
                    .until(() -> (missing[0] = truthMissing(clients, channels, users, history)) == null);
            long truthMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            history.assertRostersAreSets();
            history.assertWatchlistsAlternate();
            Awaitility.await("webhooks of the pinned users true").atMost(TRUTH_BOUND)
                    .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                        WebhookHistory w = WebhookHistory.of(webhooksOf(pinned, channels));
                        w.assertAlternate();
                        for (String ch : channels) {
                            Set<String> members = new TreeSet<>(w.members(ch));
                            members.retainAll(pinned);
                            Set<String> truth = new TreeSet<>(members(clients, ch));
                            truth.retainAll(pinned);
                            assertThat(members).as(ch + " members by webhook").isEqualTo(truth);
                        }
                        Set<String> online = new TreeSet<>(w.onlineUsers());
                        online.retainAll(pinned);
                        Set<String> truth = new TreeSet<>(online(clients));
                        truth.retainAll(pinned);
                        assertThat(online).as("online by webhook").isEqualTo(truth);
                    });
            int lost = clients.stream().mapToInt(ChurnClient::lost).sum();
            assertThat(lost).as("connections the kill closed (else node 2 held no client and the run proved little)")
                    .isPositive();
            report(run, truthMillis, lost);
        } catch (AssertionError | RuntimeException e) {
            events.append(java.time.Instant.now()).append(" failed\n");
            String notTrue = truthMissing(clients, channels, users, history);
            // the transcripts of the clients the failure names, and of every client of a user it names
            String named = e.getMessage() + " " + notTrue + " ";
            StringBuilder seen = new StringBuilder();
            int shown = 0;
            for (ChurnClient c : clients) {
                if (shown < 8 && (named.contains(c.name() + "#") || named.contains(c.userId() + " ")
                        || named.contains(c.userId() + ":"))) {
                    seen.append(c.transcript());
                    shown++;
                }
            }
            StringBuilder state = new StringBuilder("clients at the failure (connection, signed in, channels):\n");
            clients.forEach(c -> state.append("  ").append(c.name()).append(' ').append(c.userId()).append(' ')
                    .append(c.connection()).append(' ').append(c.signedIn()).append(' ').append(c.channels())
                    .append('\n'));
            throw new AssertionError("churn run " + run + ": " + e.getMessage() + "\nnot true: "
                    + notTrue + "\n" + events + state + seen + cluster.logs(),
                    e);
        } finally {
            clients.forEach(ChurnClient::disconnect);
        }
    }

    /** One churn step for {@code c}: connect (pinned users only to node 1), drop the connection, or join/leave. */
    private static void step(ChurnClient c, Random random, List<String> channels, Set<String> pinned) {
        if (!c.connected()) {
            int node = pinned.contains(c.userId()) ? 1 : 1 + random.nextInt(3);
            c.connect(cluster.node(node).port());
        } else if (random.nextInt(10) == 0) {
            c.disconnect();
        } else {
            c.toggle(channels.get(random.nextInt(channels.size())));
        }
    }

    /** Null when every view holds the truth; else what does not yet. */
    private static String truthMissing(List<ChurnClient> clients, List<String> channels, List<String> users,
                                       PresenceHistory history) {
        for (ChurnClient c : clients) {
            if (!c.settled()) {
                return c.connection() + " of " + c.userId() + " not settled";
            }
        }
        Set<String> online = online(clients);
        for (ChurnClient c : clients) {
            String conn = c.connection();
            if (conn != null && !history.watchedBy(conn).containsAll(c.watchlist())) {
                return conn + " not told about all of its watchlist";
            }
        }
        List<String> watch = history.watchlistEndViolations(online);
        if (!watch.isEmpty()) {
            return watch.get(0);
        }
        for (String ch : channels) {
            Set<String> truth = members(clients, ch);
            Set<String> subscribed = new TreeSet<>();
            clients.forEach(c -> {
                if (c.channels().contains(ch)) {
                    subscribed.add(c.connection());
                }
            });
            if (!history.subscribers(ch).equals(subscribed)) {
                return ch + ": the history's subscribers " + history.subscribers(ch) + " are not " + subscribed;
            }
            List<String> wrong = history.endViolations(ch, truth);
            if (!wrong.isEmpty()) {
                return wrong.get(0);
            }
            for (int node = 1; node <= 3; node++) {
                List<String> ids = cluster.users(node, ch);
                if (ids == null || !new TreeSet<>(ids).equals(truth) || cluster.userCount(node, ch) != truth.size()) {
                    return "node " + node + "'s HTTP API lists " + ids + " in " + ch + ", true set " + truth;
                }
            }
        }
        return null;
    }

    /** The users with a connection subscribed to {@code channel} now. */
    private static Set<String> members(List<ChurnClient> clients, String channel) {
        Set<String> out = new TreeSet<>();
        clients.forEach(c -> {
            if (c.channels().contains(channel)) {
                out.add(c.userId());
            }
        });
        return out;
    }

    /** The users signed in on an open connection now. */
    private static Set<String> online(List<ChurnClient> clients) {
        Set<String> out = new TreeSet<>();
        clients.forEach(c -> {
            if (c.signedIn()) {
                out.add(c.userId());
            }
        });
        return out;
    }

    /** The member and user webhooks of the pinned users (channel events are not judged: see the class comment). */
    private static List<JsonNode> webhooksOf(Set<String> pinned, List<String> channels) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : cluster.webhooks().events()) {
            String name = e.path("name").asText();
            boolean member = name.startsWith("member_") && channels.contains(e.path("channel").asText());
            boolean user = name.startsWith("user_") && e.path("channel").isMissingNode();
            if ((member || user) && pinned.contains(e.path("user_id").asText())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Pacing of the churn (steps per second, the kill's moment); never a wait for a condition. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void report(int run, long truthMillis, int lost) {
        String line = "churn\t" + run + "\t" + HEARTBEAT + "\t" + NODE_TIMEOUT + "\t" + truthMillis + "\t" + lost;
        System.out.println("[chaos] " + line);
        if (RESULTS != null) {
            try {
                Files.writeString(Path.of(RESULTS), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
