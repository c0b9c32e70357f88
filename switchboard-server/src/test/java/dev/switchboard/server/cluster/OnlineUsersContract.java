package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.switchboard.server.engine.OnlineUsers} must do, run against each implementation
 * ({@link StateContract}): users online: each first sign-in and last sign-out of a user decided once over both nodes,
 * the user's connection limit, the positions of its own order.
 */
public abstract class OnlineUsersContract extends StateContract {

    /**
     * Issue 20: a user's online and offline take increasing positions of its own order, and the state a watcher reads
     * at sign-in says up to which position it holds, so that the watcher drops a change at or below it that reaches it
     * afterwards (docs/cluster.md, "Watchlists: one order per user").
     */
    @Test
    void onlineAndOfflineTakeIncreasingPositionsAndTheReadSaysWhichItHolds() {
        OnlineUsers.SignedIn in = await(a.users().signIn(APP, "pos", null, List.of(), List.of(), false));
        assertThat(in.cameOnline()).isTrue();
        assertThat(in.position()).isPositive();
        OnlineUsers.OnlineNow now = await(b.users().onlineNow(APP, List.of("pos", "never")));
        assertThat(now.online()).containsExactly("pos");
        assertThat(now.position("pos")).isGreaterThanOrEqualTo(in.position());
        OnlineUsers.SignedOut out = await(a.users().signOut(APP, "pos", List.of()));
        assertThat(out.wentOffline()).isTrue();
        assertThat(out.position()).isGreaterThan(in.position());
        OnlineUsers.OnlineNow later = await(b.users().onlineNow(APP, List.of("pos")));
        assertThat(later.online()).isEmpty();
        assertThat(later.position("pos")).isGreaterThanOrEqualTo(out.position());
        OnlineUsers.SignedIn again = await(b.users().signIn(APP, "pos", null, List.of(), List.of(), false));
        assertThat(again.position()).isGreaterThan(out.position());
    }

    @Test
    void signInAgainReplacesWhatIsHeldAndCountsNothing() {
        await(a.users().signIn(APP, "u1", "{\"v\":1}", List.of("w1"), List.of(), false));
        assertThat(await(a.users().signIn(APP, "u1", "{\"v\":2}", List.of("w2"), List.of(), true)).cameOnline()).isFalse();
        UserSnapshot s = await(b.userData().user(APP, "u1"));
        assertThat(s.connections()).isEqualTo(1);
        assertThat(s.userInfoJson()).isEqualTo("{\"v\":2}");
        assertThat(s.watchlist()).containsExactly("w2");
        assertThat(await(a.users().signOut(APP, "u1", List.of())).wentOffline()).isTrue();
    }

    @Test
    void theUserConnectionLimitCountsEveryNodeAndRefusesTheNewestOnly() {
        List<Supplier<CompletionStage<OnlineUsers.SignedIn>>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SharedState node = i % 2 == 0 ? a : b;
            calls.add(() -> node.users().signIn(APP, "capped", null, List.of(), List.of(), false, 3));
        }
        List<OnlineUsers.SignedIn> results = concurrently(calls);
        assertThat(results.stream().filter(r -> !r.refused()).count()).isEqualTo(3);
        assertThat(results.stream().filter(OnlineUsers.SignedIn::cameOnline).count()).isEqualTo(1);
        assertThat(await(b.userData().user(APP, "capped")).connections()).isEqualTo(3);
        // A refusal changed nothing; a place freed by a sign-out is taken by the next one.
        SharedState holder = results.get(0).refused() ? b : a;
        for (int i = 0; i < 10; i++) {
            if (!results.get(i).refused()) {
                holder = i % 2 == 0 ? a : b;
                break;
            }
        }
        await(holder.users().signOut(APP, "capped", List.of()));
        assertThat(await(a.users().signIn(APP, "capped", null, List.of(), List.of(), false, 3)).refused()).isFalse();
        assertThat(await(b.users().signIn(APP, "capped", null, List.of(), List.of(), false, 3)).refused()).isTrue();
        assertThat(await(a.userData().user(APP, "capped")).connections()).isEqualTo(3);
    }
}
