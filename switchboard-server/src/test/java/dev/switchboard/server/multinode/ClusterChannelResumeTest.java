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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Channel resume over three nodes on Redis (issue 25, item 1): a signed-in user's socket on node 1 is dropped without
 * unsubscribing from a private channel that keeps a window; 20 events are published through node 2; the user's new
 * socket on node 3 subscribes and receives the 20 in order, once, then live ones.
 */
class ClusterChannelResumeTest {

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
    void aDroppedSocketsUserGetsTheMissedEventsOnAnotherNodeInOrderOnceThenLive() throws Exception {
        String user = uniqueChannel("resumer");
        String channel = ClusterExtension.RESUME_PREFIX + uniqueChannel("order");
        RawSocket first = subscribed(1, user, channel);
        cluster.http(2).trigger(channel, "order", "n0");
        eventually().until(() -> orders(first).equals(List.of("\"n0\"")));

        first.close();
        eventually().until(() -> cluster.sdk(1).getUser(user).map(u -> u.connections() == 0).orElse(true));
        List<String> missed = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            cluster.http(2).trigger(channel, "order", "n" + i);
            missed.add("\"n" + i + "\"");
        }

        RawSocket again = subscribed(3, user, channel);
        eventually().until(() -> orders(again).size() >= 20);
        cluster.http(1).trigger(channel, "order", "live");
        List<String> expected = new ArrayList<>(missed);
        expected.add("\"live\"");
        eventually().until(() -> orders(again).size() >= 21);
        throughoutQuietPeriod().until(() -> orders(again).equals(expected));
        assertThat(again.events("switchboard:resume_incomplete")).isEmpty();
    }
}
