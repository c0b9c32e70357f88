package dev.switchboard.server.cluster;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Topic;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} must do, run against each implementation: two nodes {@link #a} and {@link #b} (the same
 * broker for the one-node case). Each node's deliveries are recorded; every frame reaches each interested node
 * exactly once, byte for byte.
 */
public abstract class BrokerContract {
    protected static final String APP = "app-1";

    protected Broker a;
    protected Broker b;
    protected final Recorded deliveredA = new Recorded();
    protected final Recorded deliveredB = new Recorded();

    /** True when {@link #a} and {@link #b} are one node (the one-node implementation). */
    protected boolean oneNode() {
        return a == b;
    }

    protected static void await(java.util.concurrent.CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Frame frame(String json) {
        return Frame.ofBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void publishDeliversLocallyAtOnceAndToEveryInterestedNodeOnce() {
        Topic t = Topic.channel(APP, "room");
        await(a.interest(t, true));
        await(b.interest(t, true));
        a.publish(t, frame("{\"event\":\"e1\"}"), "1.2");
        assertThat(deliveredA.lines).contains("deliver CHANNEL room 1.2 {\"event\":\"e1\"}");
        if (oneNode()) {
            assertThat(deliveredA.lines).containsExactly("deliver CHANNEL room 1.2 {\"event\":\"e1\"}");
            return;
        }
        eventually().until(() -> deliveredB.lines.size() == 1);
        assertThat(deliveredB.lines).containsExactly("deliver CHANNEL room 1.2 {\"event\":\"e1\"}");
        // a marker after it: once it arrives, nothing else from the first publish can still be on its way
        b.publish(t, frame("{\"event\":\"marker\"}"), null);
        eventually().until(() -> deliveredA.lines.size() == 2);
        assertThat(deliveredA.lines).containsExactly("deliver CHANNEL room 1.2 {\"event\":\"e1\"}",
                "deliver CHANNEL room null {\"event\":\"marker\"}");
        assertThat(deliveredB.lines).hasSize(2);
    }

    @Test
    void aNodeWithoutInterestReceivesNothing() {
        Topic quiet = Topic.channel(APP, "nobody-on-b");
        Topic marker = Topic.user(APP, "marker");
        await(a.interest(quiet, true));
        await(b.interest(marker, true));
        for (int i = 0; i < 20; i++) {
            a.publish(quiet, frame("{\"n\":" + i + "}"), null);
        }
        a.publish(marker, frame("{\"marker\":true}"), null);
        if (oneNode()) {
            assertThat(deliveredA.lines).hasSize(21);
            return;
        }
        // pub/sub keeps order on one connection: when the marker is in, every earlier message would be too
        eventually().until(() -> deliveredB.lines.size() == 1);
        assertThat(deliveredB.lines).containsExactly("deliver USER marker null {\"marker\":true}");
        assertThat(receivedFromOthers(b)).isEqualTo(1);
    }

    @Test
    void interestCanBeWithdrawnAndGivenAgain() {
        Topic t = Topic.watchers(APP, "w");
        await(b.interest(t, true));
        await(b.interest(t, false));
        Topic marker = Topic.user(APP, "m");
        await(b.interest(marker, true));
        a.publish(t, frame("{\"w\":1}"), null);
        a.publish(marker, frame("{\"m\":1}"), null);
        if (oneNode()) {
            return;
        }
        eventually().until(() -> deliveredB.lines.size() == 1);
        assertThat(deliveredB.lines).containsExactly("deliver USER m null {\"m\":1}");
        await(b.interest(t, true));
        a.publish(t, frame("{\"w\":2}"), null);
        eventually().until(() -> deliveredB.lines.size() == 2);
        assertThat(deliveredB.lines.get(1)).isEqualTo("deliver WATCHERS w null {\"w\":2}");
    }

    @Test
    void terminateUserReachesEveryNodeWithTheUser() {
        Topic user = Topic.user(APP, "u1");
        await(b.interest(user, true));
        a.terminateUser(APP, "u1");
        assertThat(deliveredA.lines).contains("terminate u1");
        if (!oneNode()) {
            eventually().until(() -> deliveredB.lines.contains("terminate u1"));
            assertThat(deliveredB.lines).containsExactly("terminate u1");
        }
    }

    @Test
    void reconnectUserReachesEveryNodeWithTheUserAsAReconnect() {
        Topic user = Topic.user(APP, "u2");
        await(b.interest(user, true));
        a.reconnectUser(APP, "u2");
        assertThat(deliveredA.lines).contains("reconnect u2");
        if (!oneNode()) {
            eventually().until(() -> deliveredB.lines.contains("reconnect u2"));
            assertThat(deliveredB.lines).containsExactly("reconnect u2");
        }
    }

    /**
     * Windowed events (channel resume) kept and published by {@code wa} and {@code wb} in turn (the windows of nodes
     * a and b) reach both nodes, each its own too, once, in the order of their sequences, with the except socket id.
     */
    protected void windowedEventsReachEveryNodeInSequenceOrder(dev.switchboard.server.engine.ChannelWindows wa,
                                                               dev.switchboard.server.engine.ChannelWindows wb) {
        Topic t = Topic.channel(APP, "private-w");
        await(a.interest(t, true));
        await(b.interest(t, true));
        var limits = new dev.switchboard.server.engine.ChannelWindows.Limits(100, 60_000);
        List<Long> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            Broker from = i % 2 == 0 ? a : b;
            var w = i % 2 == 0 ? wa : wb;
            Frame f = frame("{\"event\":\"e\",\"data\":\"d" + i + "\"}");
            await(w.appendAndPublish(APP, "private-w", "e", "d" + i, limits, f, "1.2",
                    seq -> from.publish(t, f.withSequence(seq), "1.2")));
            expected.add((long) i);
        }
        eventually().until(() -> deliveredA.sequences.size() >= 10 && deliveredB.sequences.size() >= 10);
        assertThat(deliveredA.sequences).containsExactlyElementsOf(expected);
        assertThat(deliveredB.sequences).containsExactlyElementsOf(expected);
        assertThat(deliveredA.lines).allMatch(l -> l.startsWith("deliver CHANNEL private-w 1.2 {\"event\":\"e\""));
        assertThat(deliveredB.lines).isEqualTo(deliveredA.lines);
    }

    /** Messages from other nodes that reached {@code broker} (implementations that cross a network count them). */
    protected abstract long receivedFromOthers(Broker broker);

    /** Every delivery of one node, as text lines. */
    public static final class Recorded implements Broker.Delivery {
        public final List<String> lines = new CopyOnWriteArrayList<>();
        /** The window sequence of each delivered frame that has one (channel resume). */
        public final List<Long> sequences = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(Topic topic, Frame frame, String exceptSocketId) {
            if (frame.sequence() > 0) {
                sequences.add(frame.sequence());
            }
            lines.add("deliver " + topic.kind() + " " + topic.name() + " " + exceptSocketId + " " + frame);
        }

        @Override
        public void terminateUser(String appId, String userId) {
            lines.add("terminate " + userId);
        }

        @Override
        public void reconnectUser(String appId, String userId) {
            lines.add("reconnect " + userId);
        }
    }
}
