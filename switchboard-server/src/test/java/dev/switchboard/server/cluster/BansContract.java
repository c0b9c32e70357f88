package dev.switchboard.server.cluster;

import static dev.switchboard.server.testing.Waits.eventually;
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
 * What every {@link dev.switchboard.server.engine.Bans} must do with the {@link OnlineUsers} beside it, run against
 * each implementation ({@link StateContract}): a ban recorded on one node refuses every sign-in of the user decided
 * after it, on both nodes, and changes nothing else; it ends by itself or when lifted (issue 25, item 2).
 */
public abstract class BansContract extends StateContract {

    private static OnlineUsers.SignedIn signIn(SharedState node, String user, boolean repeat) {
        return await(node.users().signIn(APP, user, null, List.of(), List.of(), repeat, -1));
    }

    @Test
    void aBanRefusesEverySignInOnEveryNodeUntilLifted() {
        long until = await(a.bans().ban(APP, "troll", 600_000));
        assertThat(until).isGreaterThan(System.currentTimeMillis());
        assertThat(await(b.bans().bannedUntil(APP, "troll"))).isEqualTo(until);
        for (SharedState node : List.of(a, b)) {
            OnlineUsers.SignedIn in = signIn(node, "troll", false);
            assertThat(in.refused()).isTrue();
            assertThat(in.cameOnline()).isFalse();
            assertThat(in.bannedUntilMs()).isEqualTo(until);
        }
        assertThat(await(a.userData().user(APP, "troll"))).isNull();
        assertThat(await(b.users().online(APP, List.of("troll")))).isEmpty();

        assertThat(await(b.bans().lift(APP, "troll"))).isTrue();
        assertThat(await(a.bans().lift(APP, "troll"))).isFalse();
        assertThat(await(a.bans().bannedUntil(APP, "troll"))).isZero();
        OnlineUsers.SignedIn in = signIn(a, "troll", false);
        assertThat(in.refused()).isFalse();
        assertThat(in.cameOnline()).isTrue();
        assertThat(in.bannedUntilMs()).isZero();
    }

    @Test
    void aBanRefusesASignedInUsersRepeatSignInAndLeavesItsConnectionsCounted() {
        signIn(a, "member", false);
        signIn(b, "member", false);
        await(b.bans().ban(APP, "member", 600_000));
        OnlineUsers.SignedIn again = signIn(a, "member", true);
        assertThat(again.refused()).isTrue();
        assertThat(again.bannedUntilMs()).isPositive();
        // The connections already signed in are the caller's to terminate; the ban itself changed nothing.
        UserSnapshot s = await(a.userData().user(APP, "member"));
        assertThat(s.connections()).isEqualTo(2);
        assertThat(await(a.users().signOut(APP, "member", List.of())).wentOffline()).isFalse();
        assertThat(await(b.users().signOut(APP, "member", List.of())).wentOffline()).isTrue();
    }

    @Test
    void aBanEndsByItself() {
        await(a.bans().ban(APP, "brief", 300));
        eventually().until(() -> !signIn(b, "brief", false).refused());
        assertThat(await(a.bans().bannedUntil(APP, "brief"))).isZero();
        assertThat(await(a.userData().user(APP, "brief")).connections()).isEqualTo(1);
    }

    /**
     * Sign-ins of one user from both nodes racing a ban: every sign-in started once the ban's stage completed is
     * refused, and those that got in before it are exactly the connections counted (a refusal changed nothing).
     */
    @Test
    void noSignInStartedAfterTheBanGetsInAndTheRaceCountsTrue() {
        List<Supplier<CompletionStage<OnlineUsers.SignedIn>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SharedState node = i % 2 == 0 ? a : b;
            calls.add(() -> node.users().signIn(APP, "racer", null, List.of(), List.of(), false, -1));
        }
        calls.add(20, () -> a.bans().ban(APP, "racer", 600_000).thenApply(OnlineUsers.SignedIn::banned));
        List<OnlineUsers.SignedIn> results = concurrently(calls);
        long accepted = results.stream().filter(r -> !r.refused()).count();
        UserSnapshot s = await(b.userData().user(APP, "racer"));
        assertThat(s == null ? 0 : s.connections()).isEqualTo((int) accepted);
        for (SharedState node : List.of(a, b)) {
            assertThat(signIn(node, "racer", false).bannedUntilMs()).isPositive();
        }
        assertThat(await(a.userData().user(APP, "racer")) == null ? 0
                : await(a.userData().user(APP, "racer")).connections()).isEqualTo((int) accepted);
    }
}
