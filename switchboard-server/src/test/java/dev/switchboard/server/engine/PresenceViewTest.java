package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.testing.RecordingPeer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's place in a channel's membership order: events at or below its roster's position are already in
 * the roster; events that come before the roster are held and follow it, news only, in arrival order; the hold is
 * bounded.
 */
class PresenceViewTest {
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final RecordingPeer peer = new RecordingPeer(loop);

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    private static Frame added(String user, long position) {
        return Frame.membership(new ServerMessage.MemberAdded("presence-r", user, null), position);
    }

    private static Frame removed(String user, long position) {
        return Frame.membership(new ServerMessage.MemberRemoved("presence-r", user), position);
    }

    @Test
    void eventsAtOrBelowTheRosterAreDroppedAndLaterOnesAndUnorderedOnesAreNews() {
        PresenceView view = new PresenceView(100);
        view.rosterSent(7, peer);

        assertThat(view.pending()).isFalse();
        assertThat(view.isNews(added("a", 6))).isFalse();
        assertThat(view.isNews(added("a", 7))).isFalse();
        assertThat(view.isNews(removed("a", 8))).isTrue();
        assertThat(view.isNews(added("b", Frame.UNORDERED))).isTrue();
    }

    @Test
    void eventsBeforeTheRosterAreHeldAndOnlyTheNewsFollowItInArrivalOrder() {
        PresenceView view = new PresenceView(100);
        assertThat(view.pending()).isTrue();
        assertThat(view.hold(added("a", 5))).isTrue();
        assertThat(view.hold(removed("b", 9))).isTrue();
        assertThat(view.hold(added("c", 6))).isTrue();
        assertThat(view.hold(added("d", 8))).isTrue();
        assertThat(peer.frames).isEmpty();

        view.rosterSent(6, peer);

        assertThat(peer.frames).hasSize(2);
        assertThat(peer.frames.get(0)).contains("member_removed").contains("\\\"b\\\"");
        assertThat(peer.frames.get(1)).contains("member_added").contains("\\\"d\\\"");
        assertThat(peer.flushes.get()).isEqualTo(1);
    }

    @Test
    void theHoldIsBoundedByTwiceTheMemberLimitAndSome() {
        PresenceView view = new PresenceView(2);
        int limit = PresenceView.holdLimit(2);
        for (int i = 0; i < limit; i++) {
            assertThat(view.hold(added("u" + i, i + 1))).isTrue();
        }
        assertThat(view.hold(added("over", limit + 1))).isFalse();
        assertThat(PresenceView.holdLimit(-1)).isPositive();
    }
}
