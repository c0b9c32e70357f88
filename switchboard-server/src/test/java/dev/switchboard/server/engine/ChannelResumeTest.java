package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.testing.Apps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Channel resume on one node (issue 25, item 1): a signed-in user's connection lost without unsubscribing, events
 * published meanwhile, and a new connection of the user that subscribes again gets exactly the missed ones, in order,
 * before any live one; nothing is replayed after an unsubscribe or while another connection of the user stayed.
 */
class ChannelResumeTest {
    private static final String ANN = "{\"id\":\"ann\"}";
    private static final String CH = "private-orders-1";

    private static EngineFixture fixture(int maxEvents) {
        return new EngineFixture(Apps.with(Map.of("channelResumeSeconds", 60, "channelResumeMaxEvents", maxEvents,
                "channelResumePrefixes", List.of("private-orders-"))));
    }

    private static String event(String data) {
        return "{\"event\":\"order\",\"channel\":\"" + CH + "\",\"data\":\"" + data + "\"}";
    }

    private static EngineFixture.Client signedInSubscriber(EngineFixture f) {
        EngineFixture.Client c = f.connect();
        c.signin(ANN);
        c.awaitFrame("signin_success");
        c.subscribePrivate(CH);
        c.awaitFrame("subscription_succeeded");
        return c;
    }

    private static void lose(EngineFixture.Client c) {
        c.peer.close(CloseCode.RECONNECT, "lost");
        c.drain();
        c.drain();
    }

    private static void publish(EngineFixture f, int from, int to) {
        for (int i = from; i <= to; i++) {
            f.appEngine().trigger(CH, "order", "n" + i, null);
        }
    }

    /** The frames of this channel's "order" events after the subscription succeeded, in the order written. */
    private static List<String> after(EngineFixture.Client c, String marker) {
        List<String> frames = new ArrayList<>(c.peer.frames);
        int from = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).contains(marker)) {
                from = i + 1;
            }
        }
        return frames.subList(from, frames.size()).stream()
                .filter(s -> s.contains("\"channel\":\"" + CH + "\"") && !s.contains("pusher_internal")).toList();
    }

    private static List<String> events(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(event("n" + i));
        }
        return out;
    }

    @Test
    void aLostConnectionsUserGetsTheMissedEventsInOrderOnceThenLiveOnes() {
        try (EngineFixture f = fixture(100)) {
            EngineFixture.Client first = signedInSubscriber(f);
            publish(f, 0, 0);
            first.awaitFrame(event("n0"));
            lose(first);
            publish(f, 1, 20);

            EngineFixture.Client again = signedInSubscriber(f);
            again.awaitFrame(event("n20"));
            publish(f, 21, 21);
            again.awaitFrame(event("n21"));
            assertThat(after(again, "subscription_succeeded")).containsExactlyElementsOf(events(1, 21));
        }
    }

    @Test
    void aSubscriptionMadeBeforeSignInIsResumedWhenTheSignInCompletes() {
        try (EngineFixture f = fixture(100)) {
            EngineFixture.Client first = signedInSubscriber(f);
            lose(first);
            publish(f, 1, 20);

            // pusher-js's order: subscribe at once, sign in after the auth endpoint answered.
            EngineFixture.Client again = f.connect();
            again.subscribePrivate(CH);
            again.awaitFrame("subscription_succeeded");
            again.drain();
            assertThat(again.peer.received(event("n1"))).isFalse();
            again.signin(ANN);
            again.awaitFrame(event("n20"));
            publish(f, 21, 21);
            again.awaitFrame(event("n21"));
            assertThat(after(again, "subscription_succeeded")).containsExactlyElementsOf(events(1, 21));
        }
    }

    @Test
    void anExplicitUnsubscribeEndsTheClaim() {
        try (EngineFixture f = fixture(100)) {
            EngineFixture.Client first = signedInSubscriber(f);
            first.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"" + CH + "\"}}");
            first.drain();
            lose(first);
            publish(f, 1, 5);
            EngineFixture.Client again = signedInSubscriber(f);
            publish(f, 6, 6);
            again.awaitFrame(event("n6"));
            assertThat(after(again, "subscription_succeeded")).containsExactly(event("n6"));
        }
    }

    @Test
    void nothingIsReplayedWhileAnotherConnectionOfTheUserStayedSubscribed() {
        try (EngineFixture f = fixture(100)) {
            EngineFixture.Client stays = signedInSubscriber(f);
            EngineFixture.Client lost = signedInSubscriber(f);
            lose(lost);
            publish(f, 1, 5);
            stays.awaitFrame(event("n5"));
            EngineFixture.Client again = signedInSubscriber(f);
            publish(f, 6, 6);
            again.awaitFrame(event("n6"));
            assertThat(after(again, "subscription_succeeded")).containsExactly(event("n6"));
            assertThat(after(stays, "subscription_succeeded")).containsExactlyElementsOf(events(1, 6));
        }
    }

    @Test
    void aGapTheWindowNoLongerCoversGetsOneLossEventThenWhatIsKeptThenLive() {
        try (EngineFixture f = fixture(5)) {
            EngineFixture.Client first = signedInSubscriber(f);
            lose(first);
            publish(f, 1, 20);
            EngineFixture.Client again = signedInSubscriber(f);
            again.awaitFrame(event("n20"));
            publish(f, 21, 21);
            again.awaitFrame(event("n21"));
            List<String> seen = after(again, "subscription_succeeded");
            assertThat(seen.get(0)).isEqualTo("{\"event\":\"switchboard:resume_incomplete\",\"channel\":\"" + CH
                    + "\",\"data\":\"{\\\"lost\\\":15}\"}");
            assertThat(seen.subList(1, seen.size())).containsExactlyElementsOf(events(16, 21));
        }
    }

    @Test
    void channelsWithoutAWindowAndAnonymousConnectionsResumeNothing() {
        try (EngineFixture f = fixture(100)) {
            EngineFixture.Client anonymous = f.connect();
            anonymous.subscribePrivate(CH);
            anonymous.awaitFrame("subscription_succeeded");
            lose(anonymous);
            publish(f, 1, 3);
            EngineFixture.Client again = f.connect();
            again.subscribePrivate(CH);
            again.awaitFrame("subscription_succeeded");
            publish(f, 4, 4);
            again.awaitFrame(event("n4"));
            assertThat(after(again, "subscription_succeeded")).containsExactly(event("n4"));
        }
    }

    @Test
    void onPresenceOnlyChannelEventsAreReplayedNeverMembershipOnes() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("channelResumeSeconds", 60,
                "channelResumeMaxEvents", 100, "channelResumePrefixes", List.of("presence-room-"))))) {
            String room = "presence-room-1";
            EngineFixture.Client ann = f.connect();
            ann.signin(ANN);
            ann.awaitFrame("signin_success");
            ann.subscribePresence(room, "{\"user_id\":\"ann\"}");
            ann.awaitFrame("subscription_succeeded");
            EngineFixture.Client bob = f.connect();
            bob.signin("{\"id\":\"bob\"}");
            bob.awaitFrame("signin_success");
            bob.subscribePresence(room, "{\"user_id\":\"bob\"}");
            bob.awaitFrame("subscription_succeeded");
            ann.awaitFrame("member_added");
            lose(ann);
            bob.awaitFrame("member_removed");
            for (int i = 1; i <= 3; i++) {
                f.appEngine().trigger(room, "say", "n" + i, null);
            }
            bob.awaitFrame("\"n3\"");

            EngineFixture.Client again = f.connect();
            again.signin(ANN);
            again.awaitFrame("signin_success");
            again.subscribePresence(room, "{\"user_id\":\"ann\"}");
            again.awaitFrame("\"n3\"");
            List<String> seen = new ArrayList<>(again.peer.frames);
            int roster = -1;
            for (int i = 0; i < seen.size(); i++) {
                if (seen.get(i).contains("subscription_succeeded") && seen.get(i).contains(room)) {
                    roster = i;
                }
            }
            assertThat(roster).isNotNegative();
            assertThat(seen.get(roster)).contains("bob");
            List<String> says = seen.subList(roster + 1, seen.size()).stream().filter(s -> s.contains("\"say\"")).toList();
            assertThat(says).hasSize(3);
            assertThat(says.get(0)).contains("\"n1\"");
            assertThat(says.get(2)).contains("\"n3\"");
            assertThat(again.peer.received("member_removed")).isFalse();
            assertThat(again.peer.received("member_added")).isFalse();
        }
    }
}
