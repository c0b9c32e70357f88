package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.testing.ClientFrames;
import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.RawSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A windowed channel's events reach every node in the order of their sequences, whichever node published them
 * (docs/users.md, "Channel resume"): HTTP publishes through nodes 1 and 2 race each other; a live subscriber on each of
 * the three nodes sees exactly the order a resuming user is replayed. Before the fix each node took the sequence from
 * Redis and then published, so two nodes' events crossed on the way (and a publishing node delivered its own at once,
 * ahead of another's earlier one): a connection lost between two such events missed the earlier one for good.
 */
class ClusterChannelWindowOrderTest {
    private static final int EACH = 45; // two publishers, within the cluster app's 100 kept events

    @RegisterExtension
    static final ClusterExtension cluster = ClusterExtension.shared();

    private static final AppConfig APP = AppConfig.defaults(ClusterExtension.APP_ID, ClusterExtension.APP_KEY,
            ClusterExtension.APP_SECRET);

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

    @Test
    void racingPublishesOnTwoNodesReachEveryNodeInTheOrderAResumeReplays() throws Exception {
        String channel = ClusterExtension.RESUME_PREFIX + uniqueChannel("race");
        List<RawSocket> live = List.of(subscribed(1, uniqueChannel("w"), channel),
                subscribed(2, uniqueChannel("w"), channel), subscribed(3, uniqueChannel("w"), channel));
        String resumer = uniqueChannel("resumer");
        RawSocket first = subscribed(3, resumer, channel);
        first.close();
        eventually().until(() -> cluster.sdk(1).getUser(resumer).map(u -> u.connections() == 0).orElse(true));

        ExecutorService publishers = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int node = 1; node <= 2; node++) {
            int n = node;
            done.add(publishers.submit(() -> {
                start.await();
                for (int i = 0; i < EACH; i++) {
                    cluster.http(n).trigger(channel, "order", "node" + n + "-" + i);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> d : done) {
            d.get();
        }
        publishers.shutdown();
        for (RawSocket s : live) {
            eventually().until(() -> orders(s).size() == 2 * EACH);
        }

        RawSocket again = subscribed(3, resumer, channel);
        eventually().until(() -> orders(again).size() == 2 * EACH);
        List<String> replayed = orders(again);
        for (int node = 1; node <= 3; node++) {
            assertThat(orders(live.get(node - 1))).as("the live subscriber on node %d", node)
                    .containsExactlyElementsOf(replayed);
        }
    }
}
