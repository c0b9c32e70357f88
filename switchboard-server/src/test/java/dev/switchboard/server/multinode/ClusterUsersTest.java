package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import dev.switchboard.sdk.User;
import dev.switchboard.sdk.UserErasure;
import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RawSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users over three nodes: sendToUser and terminate reach every connection of the user wherever it is, the
 * user data API counts and erases across nodes, watchlist online/offline follow the user's first and last
 * connection anywhere, and user webhooks come once per cluster.
 */
class ClusterUsersTest {

    @RegisterExtension
    static final ClusterExtension cluster = ClusterExtension.shared();

    private JavaClient signedIn(int node, String userId) {
        return cluster.user(node, userId, "Name " + userId).connect().signin();
    }

    private static List<PusherEvent> bindUser(JavaClient client, String event) {
        List<PusherEvent> received = new CopyOnWriteArrayList<>();
        client.pusher().user().bind(event, received::add);
        return received;
    }

    @Test
    void sendToUserThroughOneNodeReachesEachConnectionOfTheUserOnOtherNodesOnce() {
        String ann = uniqueChannel("ann");
        List<PusherEvent> onTwo = bindUser(signedIn(2, ann), "note");
        List<PusherEvent> onThree = bindUser(signedIn(3, ann), "note");
        List<PusherEvent> otherUser = bindUser(signedIn(3, uniqueChannel("bob")), "note");

        cluster.sdk(1).sendToUser(ann, "note", Map.of("text", "hi"));

        eventually().until(() -> onTwo.size() == 1 && onThree.size() == 1);
        throughoutQuietPeriod().until(() -> onTwo.size() == 1 && onThree.size() == 1 && otherUser.isEmpty());
        assertThat(onThree.get(0).getData()).isEqualTo("{\"text\":\"hi\"}");
    }

    @Test
    void terminateThroughOneNodeClosesTheUsersConnectionsOnEveryNodeAndNoOtherOnes() {
        String ann = uniqueChannel("ann");
        JavaClient onOne = signedIn(1, ann);
        JavaClient onThree = signedIn(3, ann);
        JavaClient bystander = signedIn(3, uniqueChannel("bob"));

        cluster.sdk(2).terminateUserConnections(ann);

        eventually().until(() -> onOne.state() == ConnectionState.DISCONNECTED
                && onThree.state() == ConnectionState.DISCONNECTED);
        assertThat(onThree.errors()).anySatisfy(e -> assertThat(e.code()).isEqualTo("4009"));
        throughoutQuietPeriod().until(() -> bystander.state() == ConnectionState.CONNECTED
                && onOne.state() == ConnectionState.DISCONNECTED);
    }

    @Test
    void theUserDataApiOfEveryNodeCountsTheConnectionsOfEveryNode() {
        String ann = uniqueChannel("ann");
        String channel = uniqueChannel("presence-desk");
        signedIn(1, ann);
        signedIn(2, ann).subscribePresence(channel);
        JavaClient third = signedIn(3, ann);

        for (int node = 1; node <= ClusterExtension.NODES; node++) {
            int n = node;
            eventually().untilAsserted(() -> {
                User user = cluster.sdk(n).getUser(ann).orElseThrow();
                assertThat(user.online()).isTrue();
                assertThat(user.connections()).isEqualTo(3);
                assertThat(user.channels()).contains(channel);
            });
        }
        third.close();
        eventually().untilAsserted(() -> assertThat(cluster.sdk(1).getUser(ann).orElseThrow().connections()).isEqualTo(2));
    }

    @Test
    void deletingAUserThroughOneNodeErasesItEverywhere() {
        String ann = uniqueChannel("ann");
        String channel = uniqueChannel("presence-erase");
        EventLog watcher = cluster.client(3, new com.pusher.rest.data.PresenceUser(uniqueChannel("w"))).connect()
                .subscribePresence(channel);
        JavaClient onOne = signedIn(1, ann);
        onOne.subscribePresence(channel);
        JavaClient onTwo = signedIn(2, ann);
        eventually().until(() -> watcher.joinedIds().contains(ann));

        UserErasure erased = cluster.sdk(3).deleteUser(ann);

        assertThat(erased.connectionsClosed()).isEqualTo(2);
        assertThat(erased.presenceChannelsLeft()).containsExactly(channel);
        eventually().until(() -> onOne.state() == ConnectionState.DISCONNECTED && onTwo.state() == ConnectionState.DISCONNECTED);
        eventually().until(() -> watcher.leftIds().contains(ann));
        for (int node = 1; node <= ClusterExtension.NODES; node++) {
            int n = node;
            eventually().untilAsserted(() -> {
                Optional<User> user = cluster.sdk(n).getUser(ann);
                assertThat(user.map(User::online).orElse(false)).isFalse();
                assertThat(user.map(User::connections).orElse(0)).isZero();
            });
        }
    }

    @Test
    void watchersOnEveryNodeSeeAUserComeOnlineAtItsFirstConnectionAndGoOfflineAfterItsLast() {
        String ann = uniqueChannel("ann");
        List<RawSocket> watchers = new ArrayList<>();
        for (int node = 1; node <= ClusterExtension.NODES; node++) {
            watchers.add(cluster.rawUser(node, Map.of("id", uniqueChannel("watcher"), "watchlist", List.of(ann))));
        }
        eventually().until(() -> watchers.stream().allMatch(w -> Counts.watchlist(w, "offline", ann) == 1));

        JavaClient first = signedIn(2, ann);
        eventually().until(() -> watchers.stream().allMatch(w -> Counts.watchlist(w, "online", ann) == 1));
        JavaClient second = signedIn(3, ann);
        first.close();
        throughoutQuietPeriod().until(() -> watchers.stream().allMatch(w -> Counts.watchlist(w, "online", ann) == 1
                && Counts.watchlist(w, "offline", ann) == 1));
        second.close();

        eventually().until(() -> watchers.stream().allMatch(w -> Counts.watchlist(w, "offline", ann) == 2));
        throughoutQuietPeriod().until(() -> watchers.stream().allMatch(w -> Counts.watchlist(w, "online", ann) == 1
                && Counts.watchlist(w, "offline", ann) == 2));
        // A watcher signing in later gets the current state, read from the cluster.
        RawSocket late = cluster.rawUser(1, Map.of("id", uniqueChannel("watcher"), "watchlist", List.of(ann)));
        JavaClient back = signedIn(3, ann);
        eventually().until(() -> Counts.watchlist(late, "online", ann) == 1);
        back.close();
    }

    @Test
    void userOnlineAndOfflineWebhooksComeOncePerClusterForAUserOnSeveralNodes() {
        String ann = uniqueChannel("ann");
        JavaClient a = signedIn(1, ann);
        JavaClient b = signedIn(2, ann);
        JavaClient c = signedIn(3, ann);
        eventually().until(() -> Counts.webhooks(cluster.webhooks(), "user_online", "user_id", ann) == 1);

        a.close();
        b.close();
        throughoutQuietPeriod().until(() -> Counts.webhooks(cluster.webhooks(), "user_offline", "user_id", ann) == 0);
        c.close();

        eventually().until(() -> Counts.webhooks(cluster.webhooks(), "user_offline", "user_id", ann) == 1);
        throughoutQuietPeriod().until(() -> Counts.webhooks(cluster.webhooks(), "user_online", "user_id", ann) == 1
                && Counts.webhooks(cluster.webhooks(), "user_offline", "user_id", ann) == 1);
    }
}
