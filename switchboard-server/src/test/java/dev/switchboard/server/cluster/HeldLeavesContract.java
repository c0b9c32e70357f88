package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.HeldLeaves.Hold;
import dev.switchboard.server.engine.ChannelState.Joined;
import dev.switchboard.server.engine.ChannelState.Left;
import dev.switchboard.server.engine.ChannelState.Member;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.switchboard.server.engine.HeldLeaves} must do, run against each implementation
 * ({@link StateContract}): the held leaves of the webhooks (docs/webhooks.md). A leave recorded as held is cancelled
 * by a join on any node, in the step that decides the join, and confirmed at most once, by the node that holds it.
 */
public abstract class HeldLeavesContract extends StateContract {
    static final String HELD_APP = "app-held";
    static final long HOLD = 3_000;

    SharedState nodeA() {
        return a;
    }

    SharedState nodeB() {
        return b;
    }

    private static <T> T done(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHeldVacancyAndRemovalAreCancelledByAJoinOnAnyNodeAndThenNotConfirmed() {
        String ch = "presence-held-1";
        done(nodeA().channels().join(HELD_APP, ch, new Member("ann", null), null, 100));
        Left left = done(nodeA().channels().leave(HELD_APP, ch, "ann", null, HOLD));
        assertThat(left.vacated()).isTrue();
        assertThat(left.vacancyHeld()).isTrue();
        assertThat(left.removalHeld()).isTrue();

        Joined back = done(nodeB().channels().join(HELD_APP, ch, new Member("ann", null), null, 100));
        assertThat(back.occupied()).isTrue();
        assertThat(back.newMember()).isTrue();
        assertThat(back.vacancyCancelled()).isTrue();
        assertThat(back.removalCancelled()).isTrue();
        assertThat(done(nodeA().heldLeaves().confirmHeld(HELD_APP, Hold.VACANCY, ch, null))).isFalse();
        assertThat(done(nodeA().heldLeaves().confirmHeld(HELD_APP, Hold.REMOVAL, ch, "ann"))).isFalse();
    }

    @Test
    void aHeldLeaveNobodyCancelledIsConfirmedOnceAndTheNextJoinCancelsNothing() {
        String ch = "presence-held-2";
        done(nodeA().channels().join(HELD_APP, ch, new Member("bob", null), null, 100));
        done(nodeA().channels().leave(HELD_APP, ch, "bob", null, HOLD));
        assertThat(done(nodeA().heldLeaves().confirmHeld(HELD_APP, Hold.REMOVAL, ch, "bob"))).isTrue();
        assertThat(done(nodeA().heldLeaves().confirmHeld(HELD_APP, Hold.REMOVAL, ch, "bob"))).isFalse();
        assertThat(done(nodeA().heldLeaves().confirmHeld(HELD_APP, Hold.VACANCY, ch, null))).isTrue();

        Joined back = done(nodeB().channels().join(HELD_APP, ch, new Member("bob", null), null, 100));
        assertThat(back.vacancyCancelled()).isFalse();
        assertThat(back.removalCancelled()).isFalse();
    }

    @Test
    void aLeaveWithoutHoldRecordsNothing() {
        String ch = "presence-held-3";
        done(nodeA().channels().join(HELD_APP, ch, new Member("cy", null), null, 100));
        Left left = done(nodeA().channels().leave(HELD_APP, ch, "cy", null, 0));
        assertThat(left.vacancyHeld()).isFalse();
        assertThat(left.removalHeld()).isFalse();
        Joined back = done(nodeB().channels().join(HELD_APP, ch, new Member("cy", null), null, 100));
        assertThat(back.vacancyCancelled()).isFalse();
        assertThat(back.removalCancelled()).isFalse();
    }

    @Test
    void aHeldGoingOfflineIsCancelledBySigningInOnAnyNode() {
        done(nodeA().users().signIn(HELD_APP, "dee", null, List.of(), List.of(), false));
        assertThat(done(nodeA().users().signOut(HELD_APP, "dee", List.of(), HOLD)).held()).isTrue();
        OnlineUsers.SignedIn in = done(nodeB().users().signIn(HELD_APP, "dee", null, List.of(), List.of(), false));
        assertThat(in.cameOnline()).isTrue();
        assertThat(in.offlineCancelled()).isTrue();
        assertThat(done(nodeA().heldLeaves().confirmHeld(HELD_APP, Hold.OFFLINE, null, "dee"))).isFalse();

        assertThat(done(nodeB().users().signOut(HELD_APP, "dee", List.of(), HOLD)).held()).isTrue();
        assertThat(done(nodeB().heldLeaves().confirmHeld(HELD_APP, Hold.OFFLINE, null, "dee"))).isTrue();
        assertThat(done(nodeA().users().signIn(HELD_APP, "dee", null, List.of(), List.of(), false)).offlineCancelled())
                .isFalse();
    }

    @Test
    void onAClusterOnlyTheNodeWhoseLeaveIsHeldConfirmsIt() {
        if (nodeA() == nodeB()) {
            return; // one node: every hold is its own
        }
        String ch = "presence-held-4";
        done(nodeA().channels().join(HELD_APP, ch, new Member("eve", null), null, 100));
        done(nodeA().channels().leave(HELD_APP, ch, "eve", null, HOLD));
        done(nodeB().channels().join(HELD_APP, ch, new Member("eve", null), null, 100));
        done(nodeB().channels().leave(HELD_APP, ch, "eve", null, HOLD));
        // A's delay ends first: the removal held now is B's, sent when B's delay ends
        assertThat(done(nodeA().heldLeaves().confirmHeld(HELD_APP, Hold.REMOVAL, ch, "eve"))).isFalse();
        assertThat(done(nodeB().heldLeaves().confirmHeld(HELD_APP, Hold.REMOVAL, ch, "eve"))).isTrue();
    }
}
