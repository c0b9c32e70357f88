package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RawSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Channels across three nodes: a publish reaches every node's subscribers once, the HTTP API of any node
 * answers for the whole cluster, cache channels keep their last event cluster-wide, the app's connection
 * limit counts every node, and occupied/vacated webhooks come once per cluster.
 */
class ClusterChannelsTest {

    @RegisterExtension
    static final ClusterExtension cluster = ClusterExtension.shared();

    private JavaClient connected(int node) {
        return cluster.client(node, new PresenceUser("anonymous")).connect();
    }

    @Test
    void anEventPublishedOnOneNodeReachesEverySubscriberOnEveryNodeExactlyOnce() {
        String channel = uniqueChannel("news");
        List<EventLog> logs = new ArrayList<>();
        for (int node : new int[] {1, 2, 2, 3, 3}) {
            logs.add(connected(node).subscribe(channel, "flash"));
        }

        cluster.http(1).trigger(channel, "flash", Map.of("n", 1));

        eventually().until(() -> logs.stream().allMatch(l -> l.named("flash").size() == 1));
        throughoutQuietPeriod().until(() -> logs.stream().allMatch(l -> l.named("flash").size() == 1));
        assertThat(logs.get(4).named("flash").get(0).getData()).isEqualTo("{\"n\":1}");
    }

    @Test
    void publishesFromDifferentNodesArriveOnceEachAndTheSocketIdExclusionWorksAcrossNodes() {
        String channel = uniqueChannel("private-chat");
        JavaClient sender = connected(3);
        EventLog senderLog = sender.subscribePrivate(channel, "msg");
        EventLog onOne = connected(1).subscribePrivate(channel, "msg");
        EventLog onTwo = connected(2).subscribePrivate(channel, "msg");

        // The API call names the sender's socket (on node 3) while it goes to node 2: nobody on node 3 but it.
        cluster.http(2).trigger(channel, "msg", Map.of("from", "api"), sender.socketId());
        cluster.http(3).trigger(channel, "msg", Map.of("from", "api-3"));

        eventually().until(() -> onOne.named("msg").size() == 2 && onTwo.named("msg").size() == 2
                && senderLog.named("msg").size() == 1);
        throughoutQuietPeriod().until(() -> onOne.named("msg").size() == 2 && onTwo.named("msg").size() == 2
                && senderLog.named("msg").size() == 1);
        assertThat(senderLog.named("msg").get(0).getData()).isEqualTo("{\"from\":\"api-3\"}");
    }

    @Test
    void clientEventsCrossNodesAndAreNotEchoedToTheSender() {
        String channel = uniqueChannel("private-typing");
        JavaClient sender = connected(1);
        EventLog senderLog = sender.subscribePrivate(channel, "client-typing");
        EventLog onTwo = connected(2).subscribePrivate(channel, "client-typing");
        EventLog onThree = connected(3).subscribePrivate(channel, "client-typing");

        sender.pusher().getPrivateChannel(channel).trigger("client-typing", "{\"who\":\"ann\"}");

        eventually().until(() -> onTwo.named("client-typing").size() == 1 && onThree.named("client-typing").size() == 1);
        throughoutQuietPeriod().until(() -> onTwo.named("client-typing").size() == 1
                && onThree.named("client-typing").size() == 1 && senderLog.named("client-typing").isEmpty());
    }

    @Test
    void everyNodeAnswersChannelQueriesForTheWholeCluster() {
        String prefix = uniqueChannel("room");
        String publicChannel = prefix + "-lobby";
        String presenceChannel = "presence-" + prefix;
        connected(1).subscribe(publicChannel);
        connected(2).subscribe(publicChannel);
        connected(3).subscribe(publicChannel);
        cluster.client(1, new PresenceUser("ann")).connect().subscribePresence(presenceChannel);
        cluster.client(2, new PresenceUser("ann")).connect().subscribePresence(presenceChannel);
        cluster.client(3, new PresenceUser("bob")).connect().subscribePresence(presenceChannel);

        for (int node = 1; node <= ClusterExtension.NODES; node++) {
            int n = node;
            eventually().untilAsserted(() -> {
                JsonNode lobby = Json.body(cluster.http(n).get("/channels/" + publicChannel,
                        Map.of("info", "subscription_count")));
                assertThat(lobby.path("occupied").asBoolean()).isTrue();
                assertThat(lobby.path("subscription_count").asInt()).isEqualTo(3);
                JsonNode room = Json.body(cluster.http(n).get("/channels/" + presenceChannel,
                        Map.of("info", "user_count,subscription_count")));
                assertThat(room.path("user_count").asInt()).isEqualTo(2);
                assertThat(room.path("subscription_count").asInt()).isEqualTo(3);
                JsonNode users = Json.body(cluster.http(n).get("/channels/" + presenceChannel + "/users"));
                assertThat(ids(users.path("users"))).containsExactlyInAnyOrder("ann", "bob");
                JsonNode list = Json.body(cluster.http(n).get("/channels", Map.of("filter_by_prefix", prefix)));
                assertThat(list.path("channels").has(publicChannel)).isTrue();
                JsonNode presenceList = Json.body(cluster.http(n).get("/channels",
                        Map.of("filter_by_prefix", "presence-" + prefix, "info", "user_count")));
                assertThat(presenceList.path("channels").path(presenceChannel).path("user_count").asInt()).isEqualTo(2);
            });
        }
    }

    @Test
    void subscriptionCountEventsCarryTheClusterWideCount() {
        String channel = uniqueChannel("counted");
        List<RawSocket> sockets = new ArrayList<>();
        for (int node = 1; node <= ClusterExtension.NODES; node++) {
            RawSocket s = cluster.raw(node);
            s.send(Json.write(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel))));
            s.awaitEvent("pusher_internal:subscription_succeeded");
            sockets.add(s);
        }

        eventually().until(() -> sockets.stream().allMatch(s -> lastCount(s) == 3));
        sockets.get(1).send(Json.write(Map.of("event", "pusher:unsubscribe", "data", Map.of("channel", channel))));
        eventually().until(() -> lastCount(sockets.get(0)) == 2 && lastCount(sockets.get(2)) == 2);
    }

    @Test
    void aCacheChannelKeepsItsLastEventForSubscribersOnEveryNode() {
        String channel = uniqueChannel("cache-score");
        cluster.http(1).trigger(channel, "score", Map.of("home", 1));
        cluster.http(2).trigger(channel, "score", Map.of("home", 2));

        for (int node = 1; node <= ClusterExtension.NODES; node++) {
            EventLog log = connected(node).subscribe(channel, "score", "pusher:cache_miss");
            assertThat(log.awaitEvent("score").getData()).isEqualTo("{\"home\":2}");
            assertThat(log.named("pusher:cache_miss")).isEmpty();
        }
        EventLog missed = connected(3).subscribe(uniqueChannel("cache-empty"), "pusher:cache_miss");
        missed.awaitEvent("pusher:cache_miss");
    }

    @Test
    void theAppsConnectionLimitCountsEveryNode() {
        List<RawSocket> admitted = new ArrayList<>();
        for (int i = 0; i < ClusterExtension.SMALL_MAX_CONNECTIONS; i++) {
            int node = 1 + i % ClusterExtension.NODES;
            // An earlier test's sockets of this app may still be letting go of their places.
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
                RawSocket s = cluster.raw(node, ClusterExtension.SMALL_KEY);
                return admitted(s) && admitted.add(s);
            });
        }

        RawSocket refused = cluster.raw(1, ClusterExtension.SMALL_KEY);
        assertThat(refused.awaitCloseCode()).isEqualTo(4004);
        assertThat(admitted).allMatch(s -> s.closeCode() == null);

        admitted.get(1).close();
        // The freed place is the cluster's, not node 2's: a connection on node 3 gets it (once node 2 let go).
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> admitted(cluster.raw(3, ClusterExtension.SMALL_KEY)));
        assertThat(cluster.raw(2, ClusterExtension.SMALL_KEY).awaitCloseCode()).isEqualTo(4004);
    }

    /** Waits until the server either established or refused the socket; true when established and open. */
    private static boolean admitted(RawSocket socket) {
        eventually().until(() -> socket.closeCode() != null || !socket.events("pusher:connection_established").isEmpty());
        return socket.closeCode() == null;
    }

    @Test
    void occupiedAndVacatedWebhooksComeOncePerClusterWhateverNodeTheSubscribersUse() {
        String channel = uniqueChannel("hooked");
        List<JavaClient> clients = new ArrayList<>();
        for (int node : new int[] {2, 1, 3, 2}) {
            JavaClient c = connected(node);
            c.subscribe(channel);
            clients.add(c);
        }
        eventually().until(() -> webhooks("channel_occupied", channel) == 1);

        clients.get(0).pusher().unsubscribe(channel);
        clients.get(1).close();
        clients.get(2).pusher().unsubscribe(channel);
        throughoutQuietPeriod().until(() -> webhooks("channel_vacated", channel) == 0);
        clients.get(3).close();

        eventually().until(() -> webhooks("channel_vacated", channel) == 1);
        throughoutQuietPeriod().until(() -> webhooks("channel_occupied", channel) == 1
                && webhooks("channel_vacated", channel) == 1);
    }

    private static long webhooks(String name, String channel) {
        return Counts.webhooks(cluster.webhooks(), name, "channel", channel);
    }

    /** The count in the socket's latest subscription_count frame; -1 before one. */
    private static int lastCount(RawSocket socket) {
        List<JsonNode> counts = socket.events("pusher_internal:subscription_count");
        if (counts.isEmpty()) {
            return -1;
        }
        JsonNode data = counts.get(counts.size() - 1).path("data");
        return (data.isTextual() ? Json.parse(data.textValue()) : data).path("subscription_count").asInt();
    }

    private static List<String> ids(JsonNode users) {
        List<String> out = new ArrayList<>();
        users.forEach(u -> out.add(u.path("id").asText()));
        return out;
    }
}
