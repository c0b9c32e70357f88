package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.ChannelState.Left;
import dev.switchboard.server.engine.ChannelState.Member;
import dev.switchboard.server.engine.UserErasure;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.switchboard.server.engine.UserData} must do, run against each implementation
 * ({@link StateContract}): what the user data API reads and erases, over every node.
 */
public abstract class UserDataContract extends StateContract {

    @Test
    void userSnapshotCoversEveryNode() {
        assertThat(await(a.channels().join(APP, "private-a", null, null, 100)).occupied()).isTrue();
        assertThat(await(a.users().signIn(APP, "u1", "{\"name\":\"U\"}", List.of("w1", "w2"), List.of("private-a"), false))
                .cameOnline()).isTrue();
        assertThat(await(b.users().signIn(APP, "u1", "{\"name\":\"U\"}", List.of("w1", "w2"), List.of(), false))
                .cameOnline()).isFalse();
        await(b.channels().join(APP, "presence-b", new Member("u1", null), "u1", 100));

        UserSnapshot s = await(b.userData().user(APP, "u1"));
        assertThat(s).isEqualTo(new UserSnapshot("u1", true, 2, "{\"name\":\"U\"}", List.of("w1", "w2"),
                List.of("presence-b", "private-a")));
        assertThat(await(a.users().online(APP, List.of("u1", "nobody")))).isEqualTo(Set.of("u1"));
        assertThat(await(a.userData().userInfo(APP, "u1"))).isEqualTo("{\"name\":\"U\"}");
        assertThat(await(b.userData().updateUserInfo(APP, "u1", "{\"name\":\"V\"}"))).isTrue();
        assertThat(await(a.userData().userInfo(APP, "u1"))).isEqualTo("{\"name\":\"V\"}");
        assertThat(await(a.userData().updateUserInfo(APP, "nobody", "{}"))).isFalse();

        await(a.users().signIn(APP, "u2", null, List.of(), List.of(), false));
        await(b.users().signIn(APP, "u3", null, List.of(), List.of(), false));
        var page = await(a.userData().users(APP, null, 2));
        assertThat(page.ids()).containsExactly("u1", "u2");
        assertThat(page.total()).isEqualTo(3);
        assertThat(await(b.userData().users(APP, page.nextCursor(), 2)).ids()).containsExactly("u3");

        await(b.channels().leave(APP, "presence-b", "u1", "u1"));
        assertThat(await(a.users().signOut(APP, "u1", List.of("private-a"))).wentOffline()).isFalse();
        assertThat(await(b.users().signOut(APP, "u1", List.of())).wentOffline()).isTrue();
        assertThat(await(a.userData().user(APP, "u1"))).isNull();
        assertThat(await(b.users().online(APP, List.of("u1")))).isEmpty();
    }

    @Test
    void eraseRemovesTheUserEverywhereAndLaterSignOutsDecideNothing() {
        await(a.users().signIn(APP, "gone", "{\"x\":1}", List.of("w"), List.of(), false));
        await(b.users().signIn(APP, "gone", "{\"x\":1}", List.of("w"), List.of(), false));
        await(b.channels().join(APP, "presence-p", new Member("gone", null), "gone", 100));
        await(b.users().signIn(APP, "watcher", null, List.of("gone", "other"), List.of(), false));

        UserErasure erased = await(a.userData().eraseUser(APP, "gone"));
        assertThat(erased).isEqualTo(new UserErasure("gone", 2, List.of("presence-p"), true, 1, 1));
        assertThat(await(b.userData().user(APP, "gone"))).isNull();
        assertThat(await(a.userData().user(APP, "watcher")).watchlist()).containsExactly("other");
        assertThat(await(b.userData().eraseUser(APP, "gone"))).isNull();

        assertThat(await(a.users().signOut(APP, "gone", List.of())).wentOffline()).isFalse();
        assertThat(await(b.users().signOut(APP, "gone", List.of("presence-p"))).wentOffline()).isFalse();
        Left left = await(b.channels().leave(APP, "presence-p", "gone", "gone"));
        assertThat(left.memberRemoved()).isTrue();
        assertThat(left.vacated()).isTrue();
    }
}
