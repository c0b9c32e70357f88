package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.cluster.SharedStateContract.RecordedTransitions;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.Topic;
import dev.switchboard.server.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, the duplicate member_added under churn: a node delivered its own membership decisions to its sockets
 * from the script's answer, so they could overtake another node's earlier decision still on its way through pub/sub.
 * Every node, the deciding one included, must receive a channel's membership frames through its broker, each
 * position once, in the order the scripts decided them.
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

    /** The positions of the membership frames one node's broker handed to its local delivery, in delivery order. */
    private static final class Positions implements Broker.Delivery {
        final List<Long> seen = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(Topic topic, Frame frame, String exceptSocketId) {
            if (frame.isMembership()) {
                seen.add(frame.position());
            }
        }

        @Override
        public void terminateUser(String appId, String userId) {
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
                all.add(s.join(APP, CHANNEL, new SharedState.Member(user, null), null, -1).thenCompose(j -> {
                    if (j.newMember()) {
                        decided.add(j.position());
                    }
                    return s.leave(APP, CHANNEL, user, null).thenAccept(l -> {
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
}
