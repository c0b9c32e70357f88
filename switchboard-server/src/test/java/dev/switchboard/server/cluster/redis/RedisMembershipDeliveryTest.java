package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.cluster.RecordedTransitions;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, the duplicate member_added under churn: a node delivered its own membership decisions to its sockets
 * from the script's answer, so they could overtake another node's earlier decision still on its way through pub/sub.
 * Every node, the deciding one included, must receive a channel's membership frames through its broker, each
 * position once, in the order the scripts decided them. The watchlist left offline under churn was the same fault
 * for a user's online and offline (published by each node after its script answered), so they go the same way.
 */
class RedisMembershipDeliveryTest {
    private static final String APP = "app-1";
    private static final String CHANNEL = "presence-order";
    private static RedisServer redis;
    private final RedisNodes nodes = new RedisNodes();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }

    /**
     * The positions of the frames at a position (membership changes, a user's online and offline) one node's broker
     * handed to its local delivery, in delivery order; for the watchers' topics also what each said.
     */
    private static final class Positions implements Broker.Delivery {
        final List<Long> seen = new CopyOnWriteArrayList<>();
        final List<String> said = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(Topic topic, Frame frame, String exceptSocketId) {
            if (frame.isMembership()) {
                seen.add(frame.position());
                if (topic.kind() == Topic.Kind.WATCHERS) {
                    said.add(new String(frame.bytes(), StandardCharsets.UTF_8).contains("\"offline\"")
                            ? "offline" : "online");
                }
            }
        }

        @Override
        public void terminateUser(String appId, String userId) {
        }

        @Override
        public void reconnectUser(String appId, String userId) {
        }
    }

    @Test
    void everyNodeGetsEveryMembershipChangeThroughItsBrokerInTheChannelsOrder() throws Exception {
        RedisCluster[] node = {nodes.start(redis), nodes.start(redis)};
        Positions[] delivered = {new Positions(), new Positions()};
        for (int i = 0; i < 2; i++) {
            node[i].state().start(new RecordedTransitions());
            node[i].broker().start(delivered[i]);
            node[i].broker().interest(Topic.channel(APP, CHANNEL), true).toCompletableFuture().join();
        }
        // Both nodes change the same members at once: each decision goes through the channel's order in Redis.
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<Long> decided = new CopyOnWriteArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 2; i++) {
                SharedState s = node[i].state();
                String user = "u" + (round % 3);
                all.add(s.channels().join(APP, CHANNEL, new ChannelState.Member(user, null), null, -1).thenCompose(j -> {
                    if (j.newMember()) {
                        decided.add(j.position());
                    }
                    return s.channels().leave(APP, CHANNEL, user, null).thenAccept(l -> {
                        if (l.memberRemoved()) {
                            decided.add(l.position());
                        }
                    });
                }).toCompletableFuture());
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertThat(decided).isNotEmpty();
        List<Long> inOrder = decided.stream().sorted().toList();
        for (Positions p : delivered) {
            eventually().until(() -> p.seen.size() >= inOrder.size());
            assertThat(p.seen).as("each decided position once, in order, the node's own included")
                    .containsExactlyElementsOf(inOrder);
        }
    }

    @Test
    void everyNodeGetsEveryOnlineAndOfflineThroughItsBrokerInTheUsersOrder() throws Exception {
        RedisCluster[] node = {nodes.start(redis), nodes.start(redis)};
        Positions[] delivered = {new Positions(), new Positions()};
        for (int i = 0; i < 2; i++) {
            node[i].state().start(new RecordedTransitions());
            node[i].broker().start(delivered[i]);
            node[i].broker().interest(Topic.watchers(APP, "w"), true).toCompletableFuture().join();
        }
        // Both nodes sign the same user in and out at once: each online and offline is decided on the user's slot.
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<Long> decided = new CopyOnWriteArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 2; i++) {
                SharedState s = node[i].state();
                all.add(s.users().signIn(APP, "w", null, List.of(), List.of(), false).thenCompose(in -> {
                    if (in.cameOnline()) {
                        assertThat(in.announced()).isTrue();
                        decided.add(in.position());
                    }
                    return s.users().signOut(APP, "w", List.of()).thenAccept(out -> {
                        if (out.wentOffline()) {
                            assertThat(out.announced()).isTrue();
                            decided.add(out.position());
                        }
                    });
                }).toCompletableFuture());
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        List<Long> inOrder = decided.stream().sorted().toList();
        assertThat(inOrder).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
        for (Positions p : delivered) {
            eventually().until(() -> p.seen.size() >= inOrder.size());
            assertThat(p.seen).as("each decided position once, in order, the node's own included")
                    .containsExactlyElementsOf(inOrder);
            for (int k = 0; k < p.said.size(); k++) {
                assertThat(p.said.get(k)).as("change " + k).isEqualTo(k % 2 == 0 ? "online" : "offline");
            }
        }
    }

    @Test
    void aDeadNodesUserGoesOfflineAfterItsOnlineInTheUsersOrder() throws Exception {
        RedisCluster a = nodes.start(redis);
        RedisCluster b = nodes.start(redis);
        Positions seen = new Positions();
        a.state().start(new RecordedTransitions());
        a.broker().start(new Positions());
        RecordedTransitions cleaner = new RecordedTransitions();
        b.state().start(cleaner);
        b.broker().start(seen);
        b.broker().interest(Topic.watchers(APP, "d"), true).toCompletableFuture().join();
        OnlineUsers.SignedIn in = a.state().users().signIn(APP, "d", null, List.of(), List.of(), false)
                .toCompletableFuture().join();
        assertThat(in.cameOnline()).isTrue();
        eventually().until(() -> seen.seen.size() == 1);
        a.crash();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.seen.size() == 2);
        assertThat(seen.said).containsExactly("online", "offline");
        assertThat(seen.seen.get(0)).isEqualTo(in.position());
        assertThat(seen.seen.get(1)).isGreaterThan(in.position());
        assertThat(cleaner.calls).contains("userOffline " + APP + " d");
    }
}
