package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.testing.ClientFrames;
import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.RawSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Channel resume across a node killed -9 (issue 25, item 1): three node processes on one redis-server, a short lease.
 * A signed-in user's raw socket on node 1 subscribes to a private channel that keeps a window and gets an event;
 * node 1 is killed -9 (it notes nothing); 20 events are published through node 2; the user's new socket subscribes
 * on node 2, either at once (node 1's lease still runs: the hold waits for node 1 to be found dead) or after node 1
 * was cleaned up (seen in Redis: the place noted, no count of node 1 left). Either way it gets exactly the 20, in
 * order, once, then live events. With another connection of the user on node 3 subscribed throughout, nothing is
 * replayed and live events reach the new socket, which from then on counts as the user's live connection.
 */
class KilledNodeResumeTest {
    private static final int HEARTBEAT = 200;
    private static final int NODE_TIMEOUT = 4000;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(Map.of("cluster_heartbeat_millis", HEARTBEAT,
            "cluster_node_timeout_millis", NODE_TIMEOUT));

    private static final AppConfig APP = AppConfig.defaults(ClusterExtension.APP_ID, ClusterExtension.APP_KEY,
            ClusterExtension.APP_SECRET);

    /** Past node 1's lease, its cleanup by another node's heartbeat and the settling of a waiting hold. */
    private static ConditionFactory pastTheLease() {
        return Awaitility.await().atMost(Duration.ofMillis(NODE_TIMEOUT * 4L)).pollInterval(Duration.ofMillis(20));
    }

    @BeforeEach
    void nodeOneRuns() {
        if (!cluster.node(1).running()) {
            cluster.node(1).restart();
        }
    }

    private static RawSocket subscribed(int node, String user, String channel) {
        RawSocket s = cluster.rawUser(node, Map.of("id", user));
        s.send(ClientFrames.subscribePrivate(APP, s.socketId(), channel));
        s.awaitEvent("pusher_internal:subscription_succeeded");
        return s;
    }

    private static List<String> orders(RawSocket s) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : s.events("order")) {
            out.add(e.path("data").asText());
        }
        return out;
    }

    private static String place(String user, String channel) {
        return cluster.redis().command("HGETALL", "switchboard:{c:" + ClusterExtension.APP_ID + ":" + channel + "}:rp:"
                + user);
    }

    private static String nodeOneLease(String nodeOne) {
        return cluster.redis().command("ZSCORE", "switchboard:{nodes}", nodeOne);
    }

    /**
     * The user's sockets got n0 (a second one's hold waits for node 1 to be seen alive first); node 1 killed -9;
     * n1..n20 published through node 2 (returned, quoted).
     */
    private static List<String> killNodeOneAndPublish(String channel, RawSocket... subscribed) {
        cluster.http(2).trigger(channel, "order", "n0");
        for (RawSocket s : subscribed) {
            eventually().until(() -> orders(s).equals(List.of("\"n0\"")));
        }
        cluster.node(1).kill9();
        List<String> missed = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            cluster.http(2).trigger(channel, "order", "n" + i);
            missed.add("\"n" + i + "\"");
        }
        return missed;
    }

    private static void getsExactlyThenLive(String channel, RawSocket again, List<String> missed) {
        pastTheLease().until(() -> orders(again).size() >= missed.size());
        cluster.http(3).trigger(channel, "order", "live");
        List<String> expected = new ArrayList<>(missed);
        expected.add("\"live\"");
        eventually().until(() -> orders(again).size() >= expected.size());
        throughoutQuietPeriod().until(() -> orders(again).equals(expected));
        assertThat(again.events("switchboard:resume_incomplete")).isEmpty();
    }

    @Test
    void theUserBackOnAnotherNodeBeforeTheKilledNodesLeaseRanOutGetsTheMissedEventsOnceInOrderThenLive() {
        String user = uniqueChannel("killed-at-once");
        String channel = ClusterExtension.RESUME_PREFIX + uniqueChannel("order");
        String nodeOne = cluster.node(1).up().path("node").asText();
        RawSocket first = subscribed(1, user, channel);
        List<String> missed = killNodeOneAndPublish(channel, first);
        assertThat(nodeOneLease(nodeOne)).as("node 1's lease, still running when the user comes back")
                .isNotEqualTo("(nil)");

        RawSocket again = subscribed(2, user, channel);
        getsExactlyThenLive(channel, again, missed);
    }

    @Test
    void theUserBackOnAnotherNodeAfterTheKilledNodeWasCleanedUpGetsTheMissedEventsOnceInOrderThenLive() {
        String user = uniqueChannel("killed-cleaned");
        String channel = ClusterExtension.RESUME_PREFIX + uniqueChannel("order");
        RawSocket first = subscribed(1, user, channel);
        List<String> missed = killNodeOneAndPublish(channel, first);
        pastTheLease().until(() -> place(user, channel).contains("noted") && !place(user, channel).contains("n:"));

        RawSocket again = subscribed(2, user, channel);
        getsExactlyThenLive(channel, again, missed);
    }

    @Test
    void withAnotherConnectionOfTheUserSubscribedThroughoutNothingIsReplayedAndLiveEventsFlow() {
        String user = uniqueChannel("killed-kept");
        String channel = ClusterExtension.RESUME_PREFIX + uniqueChannel("order");
        String nodeOne = cluster.node(1).up().path("node").asText();
        RawSocket first = subscribed(1, user, channel);
        RawSocket kept = subscribed(3, user, channel);
        List<String> missed = killNodeOneAndPublish(channel, first, kept);
        List<String> all = new ArrayList<>(List.of("\"n0\""));
        all.addAll(missed);
        eventually().until(() -> orders(kept).equals(all));
        assertThat(nodeOneLease(nodeOne)).as("node 1's lease, still running when the user comes back")
                .isNotEqualTo("(nil)");

        RawSocket again = subscribed(2, user, channel);
        cluster.http(2).trigger(channel, "order", "live1"); // held while the hold waits, then written
        pastTheLease().until(() -> orders(again).size() >= 1);
        cluster.http(3).trigger(channel, "order", "live2");
        eventually().until(() -> orders(again).size() >= 2);
        throughoutQuietPeriod().until(() -> orders(again).equals(List.of("\"live1\"", "\"live2\"")));
        assertThat(again.events("switchboard:resume_incomplete")).isEmpty();

        // The new socket is now a live holder of the user like any other: node 3's socket lost notes nothing, so a
        // later socket has nothing to resume (not even what came after node 3's socket went).
        String nodeThree = cluster.node(3).up().path("node").asText();
        kept.close();
        pastTheLease().until(() -> !place(user, channel).contains(nodeThree));
        cluster.http(2).trigger(channel, "order", "gap");
        eventually().until(() -> orders(again).size() >= 3);
        RawSocket later = subscribed(3, user, channel);
        cluster.http(2).trigger(channel, "order", "live3");
        eventually().until(() -> orders(later).size() >= 1);
        throughoutQuietPeriod().until(() -> orders(later).equals(List.of("\"live3\"")));
    }
}
