package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.Inboxes;
import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.UserErasure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.switchboard.server.engine.Inboxes} must do, run against each implementation
 * ({@link StateContract}): the user inbox: an event is kept for an offline user or delivered live, never both, and
 * handed over at the next sign-in on any node.
 */
public abstract class InboxesContract extends StateContract {
    private static Inboxes.KeptEvent kept(String data) {
        long now = System.currentTimeMillis();
        return new Inboxes.KeptEvent("e", data, now, now + 60_000);
    }

    @Test
    void inboxKeepsForAnOfflineUserAndHandsOverAtTheNextSignInOnAnyNode() {
        for (int i = 1; i <= 3; i++) {
            assertThat(await(a.inboxes().keepIfOffline(APP, "off", kept("d" + i), 100)).kept()).isTrue();
        }
        assertThat(await(b.inboxes().inbox(APP, "off", true)).events()).extracting(Inboxes.KeptEvent::data)
                .containsExactly("d1", "d2", "d3");
        assertThat(await(b.userData().user(APP, "off")).inboxCount()).isEqualTo(3);
        OnlineUsers.SignedIn in = await(b.users().signIn(APP, "off", null, List.of(), List.of(), false));
        assertThat(in.cameOnline()).isTrue();
        assertThat(in.missed()).extracting(Inboxes.KeptEvent::data).containsExactly("d1", "d2", "d3");
        assertThat(await(a.inboxes().inbox(APP, "off", false)).count()).isZero();
        // Online now on node B: node A keeps nothing, and a second sign-in is handed nothing.
        assertThat(await(a.inboxes().keepIfOffline(APP, "off", kept("live"), 100)).kept()).isFalse();
        assertThat(await(a.users().signIn(APP, "off", null, List.of(), List.of(), false)).missed()).isEmpty();
    }

    @Test
    void inboxDropsTheOldestPastItsLimitAndIsErasedWithTheUser() {
        Inboxes.Keep last = null;
        for (int i = 1; i <= 5; i++) {
            last = await(a.inboxes().keepIfOffline(APP, "full", kept("d" + i), 3));
        }
        assertThat(last.dropped()).isEqualTo(1);
        assertThat(await(b.inboxes().inbox(APP, "full", true)).events()).extracting(Inboxes.KeptEvent::data)
                .containsExactly("d3", "d4", "d5");
        UserErasure erased = await(b.userData().eraseUser(APP, "full"));
        assertThat(erased.inboxEventsErased()).isEqualTo(3);
        assertThat(erased.connectionsClosed()).isZero();
        assertThat(await(a.inboxes().inbox(APP, "full", false)).count()).isZero();
        assertThat(await(a.userData().user(APP, "full"))).isNull();
        await(a.inboxes().keepIfOffline(APP, "full", kept("x"), 3));
        assertThat(await(a.inboxes().clearInbox(APP, "full"))).isEqualTo(1);
        assertThat(await(b.inboxes().inbox(APP, "full", false)).count()).isZero();
    }

    @Test
    void concurrentSendsAndSignInsOnTwoNodesKeepOrDeliverEachEventExactlyOnce() {
        // Small enough for the test nodes' 200 ms command timeout on a busy machine, big enough to interleave.
        int users = 8;
        int sendsPerUser = 8;
        List<Supplier<CompletionStage<String>>> calls = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "race-" + u;
            for (int i = 0; i < sendsPerUser; i++) {
                String data = user + "#" + i;
                SharedState node = i % 2 == 0 ? a : b;
                // Not kept means the caller delivers it live: record it as such.
                calls.add(() -> node.inboxes().keepIfOffline(APP, user, kept(data), 1000)
                        .thenApply(k -> k.kept() ? null : "live:" + data));
            }
            for (int i = 0; i < 3; i++) {
                SharedState node = i % 2 == 0 ? b : a;
                calls.add(() -> node.users().signIn(APP, user, null, List.of(), List.of(), false).thenApply(in -> {
                    StringBuilder got = new StringBuilder("in:");
                    in.missed().forEach(e -> got.append(e.data()).append(','));
                    return got.toString();
                }));
            }
        }
        java.util.Collections.shuffle(calls, new java.util.Random(7));
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String result : concurrently(calls)) {
            if (result == null) {
                continue;
            }
            List<String> items = result.startsWith("live:") ? List.of(result.substring(5))
                    : List.of(result.substring(3).split(",")).stream().filter(x -> !x.isEmpty()).toList();
            for (String item : items) {
                seen.merge(item, 1, Integer::sum);
            }
        }
        // Every user signed in, so nothing may still wait, and every event went exactly one way.
        for (int u = 0; u < users; u++) {
            assertThat(await(a.inboxes().inbox(APP, "race-" + u, false)).count()).isZero();
            for (int i = 0; i < sendsPerUser; i++) {
                assertThat(seen.get("race-" + u + "#" + i)).as("race-" + u + "#" + i).isEqualTo(1);
            }
        }
    }
}
