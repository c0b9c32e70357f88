package dev.switchboard.server.cluster;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.ChannelWindows;
import dev.switchboard.server.engine.ChannelWindows.Held;
import dev.switchboard.server.engine.ChannelWindows.Kept;
import dev.switchboard.server.engine.ChannelWindows.Limits;
import dev.switchboard.server.engine.ChannelWindows.Replay;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChannelWindows} must do, run against each implementation ({@link StateContract}): one sequence
 * per channel however many nodes append, the kept events after a position bounded by count and age with what was lost
 * counted, and a user's place noted only when its last connection there was lost, claimed once (issue 25, item 1);
 * where a node can be killed ({@link #crashA}), the place its connections held noted at what it had taken for delivery,
 * for a hold made before its cleanup as after.
 */
public abstract class ChannelWindowsContract extends StateContract {
    private static final Limits ROOMY = new Limits(100, 600_000);
    private static final String CH = "private-orders-1";
    private static final long KEEP = 600_000;

    private static List<Long> sequences(Replay r) {
        return r.events().stream().map(Kept::sequence).toList();
    }

    @Test
    void appendsFromBothNodesGetOneSequenceAndReadBackInOrder() {
        List<Supplier<CompletionStage<Long>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ChannelWindows w = (i % 2 == 0 ? a : b).windows();
            String data = "d" + i;
            calls.add(() -> w.append(APP, CH, "ev", data, ROOMY));
        }
        List<Long> seqs = concurrently(calls);
        assertThat(seqs).doesNotHaveDuplicates().allMatch(s -> s >= 1 && s <= 40);

        Replay all = await(b.windows().after(APP, CH, 0, ROOMY));
        assertThat(sequences(all)).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(all.lost()).isZero();
        assertThat(all.head()).isEqualTo(40);
        Replay tail = await(a.windows().after(APP, CH, 37, ROOMY));
        assertThat(sequences(tail)).containsExactly(38L, 39L, 40L);
        // Another channel, another app: their own sequences.
        assertThat(await(a.windows().append(APP, "private-orders-2", "ev", "x", ROOMY))).isEqualTo(1);
        assertThat(await(a.windows().append("app-2", CH, "ev", "x", ROOMY))).isEqualTo(1);
    }

    @Test
    void aWindowKeepsTheNewestAndCountsWhatItLost() {
        Limits five = new Limits(5, 600_000);
        for (int i = 1; i <= 20; i++) {
            await(a.windows().append(APP, CH, "ev", "d" + i, five));
        }
        Replay r = await(b.windows().after(APP, CH, 3, five));
        assertThat(sequences(r)).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(r.events().get(0).data()).isEqualTo("d16");
        assertThat(r.events().get(0).event()).isEqualTo("ev");
        assertThat(r.lost()).isEqualTo(12);
        Replay covered = await(b.windows().after(APP, CH, 15, five));
        assertThat(covered.lost()).isZero();
        assertThat(sequences(covered)).hasSize(5);
        assertThat(await(b.windows().after(APP, CH, 20, five)).events()).isEmpty();
    }

    @Test
    void eventsOlderThanTheWindowAreGoneAndCountedLost() {
        Limits brief = new Limits(100, 300);
        await(a.windows().append(APP, CH, "ev", "old", brief));
        await(a.windows().append(APP, CH, "ev", "old", brief));
        eventually().until(() -> await(b.windows().after(APP, CH, 0, brief)).lost() == 2);
        assertThat(await(b.windows().append(APP, CH, "ev", "new", brief))).isEqualTo(3);
        Replay r = await(a.windows().after(APP, CH, 0, brief));
        assertThat(sequences(r)).containsExactly(3L);
        assertThat(r.lost()).isEqualTo(2);
    }

    @Test
    void theLastLostConnectionNotesThePlaceAndTheNextHoldClaimsItOnce() {
        await(a.windows().append(APP, CH, "ev", "d", ROOMY));
        Held first = await(a.windows().hold(APP, CH, "ann", KEEP));
        assertThat(first.noted()).isEqualTo(ChannelWindows.NONE);
        assertThat(first.head()).isEqualTo(1);
        await(a.windows().release(APP, CH, "ann", 1, true, 600_000));

        Held resumed = await(b.windows().hold(APP, CH, "ann", KEEP));
        assertThat(resumed.noted()).isEqualTo(1);
        // Claimed: a second connection finds nothing, and neither does one after a plain unsubscribe.
        assertThat(await(a.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
        await(a.windows().release(APP, CH, "ann", 1, false, 600_000));
        await(b.windows().release(APP, CH, "ann", 1, false, 600_000));
        assertThat(await(a.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
        // Other users and anonymous holds are apart.
        assertThat(await(b.windows().hold(APP, CH, "bob", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
        assertThat(await(b.windows().hold(APP, CH, null, KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
    }

    @Test
    void aLostConnectionWhileAnotherStaysNotesNothingAndTheLastOneNotesItsPlace() {
        await(a.windows().hold(APP, CH, "ann", KEEP));
        await(b.windows().hold(APP, CH, "ann", KEEP));
        await(a.windows().release(APP, CH, "ann", 4, true, 600_000));
        // The other connection stayed subscribed: a new one has nothing to resume.
        assertThat(await(a.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
        await(a.windows().release(APP, CH, "ann", 9, true, 600_000));
        await(b.windows().release(APP, CH, "ann", 12, true, 600_000));
        assertThat(await(a.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(12);
    }

    @Test
    void aNotedPlaceExpires() {
        await(a.windows().hold(APP, CH, "ann", KEEP));
        await(a.windows().release(APP, CH, "ann", 3, true, 200));
        long noted = System.currentTimeMillis();
        eventually().until(() -> System.currentTimeMillis() > noted + 400);
        assertThat(await(b.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
    }

    /**
     * Node A dies as with kill -9: nothing more reaches the state from it, its lease runs out, node B cleans it up. An
     * implementation of one node (a killed node loses every place with it) does not override this: the tests that
     * call it are skipped.
     */
    protected void crashA() {
        org.junit.jupiter.api.Assumptions.abort("one node: nothing outlives its death");
    }

    @Test
    void takingCompletesWhetherOrNotTheNodeHoldsASignedInSubscriber() {
        long s1 = await(b.windows().append(APP, CH, "ev", "d", ROOMY));
        await(a.windows().taking(APP, CH, s1));
        await(a.windows().hold(APP, CH, null, KEEP));
        await(a.windows().taking(APP, CH, s1));
        await(a.windows().hold(APP, CH, "ann", KEEP));
        long s2 = await(b.windows().append(APP, CH, "ev", "d", ROOMY));
        await(a.windows().taking(APP, CH, s2));
        await(a.windows().taking(APP, CH, s1)); // an older one arriving late
        await(a.windows().release(APP, CH, "ann", s2, true, KEEP));
        assertThat(await(b.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(s2);
    }

    @Test
    void aHoldWhileTheUsersConnectionOnAnotherNodeStillSubscribesFindsNothingEvenIfThatOneIsLostMeanwhile() {
        await(a.windows().append(APP, CH, "ev", "d", ROOMY));
        await(a.windows().hold(APP, CH, "ann", KEEP));
        CompletionStage<Held> second = b.windows().hold(APP, CH, "ann", KEEP);
        // The hold may wait to complete; a later call of B that completes went after it (each node's calls on one
        // channel are taken in order), so the second connection counts before the first is lost.
        await(b.windows().after(APP, CH, 0, ROOMY));
        // Lost after the second came: the user was never without a connection, so nothing is owed to it.
        await(a.windows().release(APP, CH, "ann", 1, true, KEEP));
        assertThat(await(second).noted()).isEqualTo(ChannelWindows.NONE);
        await(b.windows().release(APP, CH, "ann", 5, true, KEEP));
        assertThat(await(a.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(5);
    }

    @Test
    void aKilledNodesUserWhoSubscribesElsewhereBeforeItsCleanupResumesFromWhatItTookForDelivery() {
        for (int i = 1; i <= 2; i++) {
            await(b.windows().append(APP, CH, "ev", "d" + i, ROOMY));
        }
        await(a.windows().hold(APP, CH, "ann", KEEP));
        long taken = await(b.windows().append(APP, CH, "ev", "d3", ROOMY));
        await(a.windows().taking(APP, CH, taken));
        crashA();
        for (int i = 4; i <= 5; i++) {
            await(b.windows().append(APP, CH, "ev", "d" + i, ROOMY));
        }
        Held resumed = await(b.windows().hold(APP, CH, "ann", KEEP));
        assertThat(resumed.noted()).isEqualTo(taken);
        assertThat(sequences(await(b.windows().after(APP, CH, resumed.noted(), ROOMY)))).containsExactly(4L, 5L);
        // Claimed once: the user's next connection finds nothing.
        assertThat(await(b.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
    }

    @Test
    void aKilledNodesUserWhoSubscribesAfterItsCleanupResumesFromWhatItTookForDelivery() {
        await(a.windows().hold(APP, CH, "ann", KEEP));
        await(a.windows().hold(APP, CH, "zed", KEEP));
        long taken = await(b.windows().append(APP, CH, "ev", "d1", ROOMY));
        await(a.windows().taking(APP, CH, taken));
        crashA();
        await(b.windows().append(APP, CH, "ev", "d2", ROOMY));
        // zed's hold settles only once A's cleanup is over (its lease and its cleanup gone): ann's place is noted.
        assertThat(await(b.windows().hold(APP, CH, "zed", KEEP)).noted()).isEqualTo(taken);
        assertThat(await(b.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(taken);
    }

    @Test
    void aKilledNodesUserWithAConnectionLeftOnALiveNodeHasNothingToResume() {
        await(a.windows().append(APP, CH, "ev", "d1", ROOMY));
        await(a.windows().hold(APP, CH, "ann", KEEP));
        await(a.windows().taking(APP, CH, 1));
        assertThat(await(b.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
        await(a.windows().hold(APP, CH, "zed", KEEP));
        crashA();
        await(b.windows().append(APP, CH, "ev", "d2", ROOMY));
        await(b.windows().hold(APP, CH, "zed", KEEP)); // A cleaned up
        assertThat(await(b.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(ChannelWindows.NONE);
        // B's connections of ann are the live ones: the last of them lost notes its own place.
        await(b.windows().release(APP, CH, "ann", 2, true, KEEP));
        await(b.windows().release(APP, CH, "ann", 2, true, KEEP));
        assertThat(await(b.windows().hold(APP, CH, "ann", KEEP)).noted()).isEqualTo(2);
    }

    @Test
    void aKilledNodeThatTookNothingYetNotesWhereItsUserCameIn() {
        await(a.windows().hold(APP, CH, "ann", KEEP)); // a new channel: nothing published yet
        crashA();
        for (int i = 1; i <= 2; i++) {
            await(b.windows().append(APP, CH, "ev", "d" + i, ROOMY));
        }
        Held resumed = await(b.windows().hold(APP, CH, "ann", KEEP));
        assertThat(resumed.noted()).isZero();
        assertThat(sequences(await(b.windows().after(APP, CH, 0, ROOMY)))).containsExactly(1L, 2L);
    }
}
