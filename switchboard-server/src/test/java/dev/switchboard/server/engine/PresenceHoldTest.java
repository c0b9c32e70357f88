package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.cluster.LocalBroker;
import dev.switchboard.server.testing.Apps;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A presence join waits until the node receives the channel's messages from everywhere (the broker's interest),
 * while the socket is already in the channel's lanes: membership events that reach it then are held, and only
 * those above its roster's position follow its subscription_succeeded; too many close it with 4200.
 */
class PresenceHoldTest {
    private static final String ROOM = "presence-room";

    /** The one-node broker, except that a channel's interest is confirmed when the test says so. */
    private static final class SlowInterest implements Broker {
        final LocalBroker local = new LocalBroker();
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();

        @Override public void start(Delivery delivery) { local.start(delivery); }
        @Override public void publish(Topic topic, Frame frame, String except) { local.publish(topic, frame, except); }
        @Override public void terminateUser(String appId, String userId) { local.terminateUser(appId, userId); }
        @Override public void reconnectUser(String appId, String userId) { local.reconnectUser(appId, userId); }
        @Override public CompletionStage<Void> interest(Topic topic, boolean interested) { return confirmed; }
        @Override public void close() { local.close(); }
    }

    /** What another node's decision looks like when it arrives here. */
    private static void arrive(EngineFixture f, ServerMessage message, long position) {
        f.appEngine().deliver(Topic.channel(f.app.id(), ROOM), Frame.membership(message, position), null);
    }

    @Test
    void eventsBeforeTheRosterFollowItAndOnlyThoseAfterItsPosition() {
        SlowInterest broker = new SlowInterest();
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of()), broker)) {
            EngineFixture.Client ann = f.connect();
            ann.subscribePresence(ROOM, "{\"user_id\":\"ann\"}");
            ann.drain();
            arrive(f, new ServerMessage.MemberAdded(ROOM, "old", null), 1); // the roster will hold it (position 1)
            arrive(f, new ServerMessage.MemberAdded(ROOM, "bob", null), 5);
            arrive(f, new ServerMessage.MemberRemoved(ROOM, "bob"), 6);
            ann.drain();
            assertThat(ann.peer.received("member_")).isFalse();
            assertThat(ann.peer.received("subscription_succeeded")).isFalse();

            broker.confirmed.complete(null);
            ann.awaitFrame("member_removed");
            List<String> frames = ann.peer.frames;
            int roster = indexOf(frames, "subscription_succeeded");
            assertThat(roster).isNotNegative();
            assertThat(frames.subList(roster + 1, frames.size())).hasSize(2)
                    .satisfies(l -> assertThat(l.get(0)).contains("member_added").contains("bob"))
                    .satisfies(l -> assertThat(l.get(1)).contains("member_removed").contains("bob"));
            assertThat(ann.peer.received("old")).isFalse();
        }
    }

    @Test
    void tooManyEventsBeforeTheRosterCloseTheSocketWith4200SoItRejoins() {
        SlowInterest broker = new SlowInterest();
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("maxPresenceMembers", 1)), broker)) {
            EngineFixture.Client ann = f.connect();
            ann.subscribePresence(ROOM, "{\"user_id\":\"ann\"}");
            ann.drain();
            for (int i = 0; i <= PresenceView.holdLimit(1); i++) {
                arrive(f, new ServerMessage.MemberAdded(ROOM, "u" + i, null), 10 + i);
            }
            ann.drain();
            assertThat(ann.peer.closedWith).isEqualTo(CloseCode.RECONNECT);
        }
    }

    private static int indexOf(List<String> frames, String fragment) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
