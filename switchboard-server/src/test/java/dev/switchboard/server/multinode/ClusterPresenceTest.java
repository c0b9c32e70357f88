package dev.switchboard.server.multinode;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.testing.ClusterExtension;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence over three nodes: one roster for the cluster, one member_added when a user's first connection
 * anywhere joins and one member_removed when its last one anywhere leaves, to watchers on every node; the
 * member limit counts the cluster; member webhooks come once.
 */
class ClusterPresenceTest {

    @RegisterExtension
    static final ClusterExtension cluster = ClusterExtension.shared();

    private JavaClient member(int node, String userId) {
        return cluster.client(node, new PresenceUser(userId, Map.of("name", "N " + userId))).connect();
    }

    @Test
    void aUserOnTwoNodesIsAddedOnceAndRemovedOnceWhenItsLastConnectionAnywhereLeaves() {
        String channel = uniqueChannel("presence-room");
        String ann = uniqueChannel("ann");
        List<EventLog> watchers = List.of(
                member(1, uniqueChannel("w1")).subscribePresence(channel),
                member(2, uniqueChannel("w2")).subscribePresence(channel),
                member(3, uniqueChannel("w3")).subscribePresence(channel));

        JavaClient annOnTwo = member(2, ann);
        annOnTwo.subscribePresence(channel);
        eventually().until(() -> watchers.stream().allMatch(w -> once(w.joinedIds(), ann)));
        JavaClient annOnThree = member(3, ann);
        EventLog annsRoster = annOnThree.subscribePresence(channel);
        throughoutQuietPeriod().until(() -> watchers.stream().allMatch(w -> once(w.joinedIds(), ann)));
        assertThat(annsRoster.initialMembers()).hasSize(4);

        annOnTwo.pusher().unsubscribe(channel);
        throughoutQuietPeriod().until(() -> watchers.stream().allMatch(w -> !w.leftIds().contains(ann)));
        annOnThree.close();

        eventually().until(() -> watchers.stream().allMatch(w -> once(w.leftIds(), ann)));
        throughoutQuietPeriod().until(() -> watchers.stream().allMatch(w -> once(w.leftIds(), ann)
                && once(w.joinedIds(), ann)));
    }

    @Test
    void subscriptionSucceededListsTheMembersOfEveryNodeWithTheirInfo() {
        String channel = uniqueChannel("presence-roster");
        String a = uniqueChannel("a");
        String b = uniqueChannel("b");
        String c = uniqueChannel("c");
        member(1, a).subscribePresence(channel);
        member(2, b).subscribePresence(channel);
        member(3, c).subscribePresence(channel);

        for (int node = 1; node <= ClusterExtension.NODES; node++) {
            String late = uniqueChannel("late");
            EventLog roster = member(node, late).subscribePresence(channel);
            assertThat(roster.initialMemberIds()).contains(a, b, c, late);
            assertThat(roster.initialMembers()).filteredOn(u -> u.getId().equals(b))
                    .singleElement().satisfies(u -> assertThat(u.getInfo()).contains("N " + b));
        }
    }

    @Test
    void theMemberLimitCountsTheWholeClusterAndAnotherConnectionOfAMemberStillJoins() {
        String channel = uniqueChannel("presence-small");
        JavaClient first = smallMember(1, "u1");
        EventLog firstLog = new EventLog();
        first.pusher().subscribePresence(channel, firstLog);
        eventually().until(firstLog::subscribed);
        JavaClient second = smallMember(2, "u2");
        EventLog secondLog = new EventLog();
        second.pusher().subscribePresence(channel, secondLog);
        eventually().until(secondLog::subscribed);

        JavaClient third = smallMember(3, "u3");
        EventLog thirdLog = new EventLog();
        third.pusher().subscribePresence(channel, thirdLog);
        eventually().until(() -> third.errors().stream().anyMatch(e -> String.valueOf(e.message()).contains("is full")));
        assertThat(thirdLog.subscribed()).isFalse();

        JavaClient againU1 = smallMember(3, "u1");
        EventLog againLog = new EventLog();
        againU1.pusher().subscribePresence(channel, againLog);
        eventually().until(againLog::subscribed);
        assertThat(againU1.errors()).isEmpty();
    }

    private JavaClient smallMember(int node, String userId) {
        return cluster.client(node, ClusterExtension.SMALL_KEY, cluster.smallAuth().channels(new PresenceUser(userId)), null)
                .connect();
    }

    @Test
    void memberWebhooksComeOncePerClusterForAUserWithConnectionsOnSeveralNodes() {
        String channel = uniqueChannel("presence-hooked");
        String bob = uniqueChannel("bob");
        JavaClient onOne = member(1, bob);
        onOne.subscribePresence(channel);
        JavaClient onTwo = member(2, bob);
        onTwo.subscribePresence(channel);
        JavaClient onThree = member(3, bob);
        onThree.subscribePresence(channel);
        eventually().until(() -> memberHooks("member_added", channel, bob) == 1);

        onOne.close();
        onThree.pusher().unsubscribe(channel);
        throughoutQuietPeriod().until(() -> memberHooks("member_removed", channel, bob) == 0);
        onTwo.close();

        eventually().until(() -> memberHooks("member_removed", channel, bob) == 1);
        throughoutQuietPeriod().until(() -> memberHooks("member_added", channel, bob) == 1
                && memberHooks("member_removed", channel, bob) == 1
                && channelHooks("channel_occupied", channel) == 1 && channelHooks("channel_vacated", channel) == 1);
    }

    private static boolean once(List<String> ids, String id) {
        return Collections.frequency(ids, id) == 1;
    }

    private static long memberHooks(String name, String channel, String userId) {
        return Collections.frequency(cluster.webhooks().events().stream()
                .filter(e -> name.equals(e.path("name").asText()) && channel.equals(e.path("channel").asText()))
                .map(e -> e.path("user_id").asText()).toList(), userId);
    }

    private static long channelHooks(String name, String channel) {
        return Counts.webhooks(cluster.webhooks(), name, "channel", channel);
    }
}
