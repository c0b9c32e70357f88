package dev.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The history checkers themselves: they pass a consistent history and fail each kind of broken one. */
class PresenceHistoryTest {
    private static final String ROOM = "presence-room";

    private static String succeeded(String... ids) {
        String data = Json.write(Map.of("presence", Map.of("ids", List.of(ids), "count", ids.length)));
        return Json.write(Map.of("event", "pusher_internal:subscription_succeeded", "channel", ROOM, "data", data));
    }

    private static String member(String event, String id) {
        return Json.write(Map.of("event", "pusher_internal:" + event, "channel", ROOM,
                "data", Json.write(Map.of("user_id", id))));
    }

    private static String watchlist(String name, String... ids) {
        // as an object this time: the protocol allows data as an object or as a string
        return Json.write(Map.of("event", "pusher_internal:watchlist_events",
                "data", Map.of("events", List.of(Map.of("name", name, "user_ids", List.of(ids))))));
    }

    @Test
    void aConsistentHistoryPassesAndEndsTrue() {
        PresenceHistory h = new PresenceHistory();
        h.replay("c1", List.of(succeeded("a", "b"), member("member_added", "c"), member("member_removed", "a"),
                member("member_added", "a")));
        h.roster("c2", ROOM, List.of("a", "b", "c"));
        h.frame("c3", "{\"event\":\"pusher:pong\"}");

        h.assertRostersAreSets();
        h.assertRostersEnd(ROOM, Set.of("a", "b", "c"));
        assertThat(h.subscribers(ROOM)).containsExactly("c1", "c2");
    }

    @Test
    void anAddForAMemberTheRosterHoldsFails() {
        PresenceHistory h = new PresenceHistory();
        h.replay("c1", List.of(succeeded("a", "b"), member("member_added", "b")));

        assertThat(h.rosterViolations()).singleElement().asString().contains("member_added b already in the roster");
        assertThatThrownBy(h::assertRostersAreSets).isInstanceOf(AssertionError.class);
    }

    @Test
    void aRemovalOfAMemberTheRosterLacksFailsAsDoesARemovalBeforeItsAdd() {
        PresenceHistory h = new PresenceHistory();
        h.replay("c1", List.of(succeeded("a"), member("member_removed", "b"), member("member_added", "b")));

        assertThat(h.rosterViolations()).singleElement().asString().contains("member_removed b not in the roster");
        // the end state is right (b's add came last): only the whole-run check sees the lie
        h.assertRostersEnd(ROOM, Set.of("a", "b"));
    }

    @Test
    void aMembershipEventBeforeTheRosterFails() {
        PresenceHistory h = new PresenceHistory();
        h.replay("c1", List.of(member("member_added", "b"), succeeded("a", "b")));

        assertThat(h.rosterViolations()).singleElement().asString().contains("before subscription_succeeded");
    }

    @Test
    void aNewSubscriptionStartsAFreshRosterAndAClosedClientNoLongerCountsAtTheEnd() {
        PresenceHistory h = new PresenceHistory();
        h.replay("c1", List.of(succeeded("a"), member("member_added", "b")));
        h.unsubscribed("c1", ROOM);
        h.replay("c1", List.of(succeeded("a", "b"), member("member_removed", "b")));
        h.replay("c2", List.of(succeeded("a", "x")));
        h.closed("c2");

        h.assertRostersAreSets();
        h.assertRostersEnd(ROOM, Set.of("a"));
        assertThat(h.subscribers(ROOM)).containsExactly("c1");
    }

    @Test
    void aRosterThatEndsWrongFails() {
        PresenceHistory h = new PresenceHistory();
        h.replay("c1", List.of(succeeded("a", "b"), member("member_removed", "b")));

        assertThat(h.endViolations(ROOM, Set.of("a", "b"))).singleElement().asString()
                .contains("c1 " + ROOM + " ends with [a], true set [a, b]");
    }

    @Test
    void watchlistStatesMustAlternateAndEndTrue() {
        PresenceHistory h = new PresenceHistory();
        h.replay("w1", List.of(watchlist("offline", "u1", "u2"), watchlist("online", "u1")));
        h.watched("w2", "u1", true);
        h.assertWatchlistsAlternate();
        h.assertWatchlistsEnd(Set.of("u1"));
        assertThat(h.watchedBy("w1")).containsExactly("u1", "u2");

        assertThat(h.watchlistEndViolations(Set.of("u1", "u2"))).singleElement().asString()
                .contains("w1 last told u2 is offline");
        h.frame("w1", Json.write(Map.of("event", "pusher_internal:watchlist_events",
                "data", Json.write(Map.of("events", List.of(Map.of("name", "online", "user_ids", List.of("u1"))))))));
        assertThat(h.watchlistViolations()).singleElement().asString().contains("w1 watching u1 #2: online twice");
    }

    @Test
    void aClosedWatcherIsNotJudgedAtTheEnd() {
        PresenceHistory h = new PresenceHistory();
        h.watched("w1#1", "u1", false); // then w1's connection closed, and u1 came online: nobody tells w1#1
        h.closed("w1#1");
        h.watched("w1#2", "u1", true);
        h.assertWatchlistsEnd(Set.of("u1"));
        h.watched("w2", "u1", false);
        assertThat(h.watchlistEndViolations(Set.of("u1"))).singleElement().asString()
                .contains("w2 last told u1 is offline");
    }

    private static JsonNode hook(String name, String channel, String user) {
        return Json.parse(Json.write(channel == null ? Map.of("name", name, "user_id", user)
                : user == null ? Map.of("name", name, "channel", channel)
                : Map.of("name", name, "channel", channel, "user_id", user)));
    }

    @Test
    void webhookSequencesAlternateStartingUp() {
        WebhookHistory ok = WebhookHistory.of(List.of(hook("channel_occupied", ROOM, null),
                hook("member_added", ROOM, "a"), hook("user_online", null, "a"), hook("member_added", ROOM, "b"),
                hook("member_removed", ROOM, "a"), hook("user_offline", null, "a"), hook("member_added", ROOM, "a"),
                hook("client_event", ROOM, "a")));
        ok.assertAlternate();
        assertThat(ok.members(ROOM)).containsExactly("a", "b");
        assertThat(ok.onlineUsers()).isEmpty();
        assertThat(ok.occupied(ROOM)).isTrue();

        WebhookHistory twice = WebhookHistory.of(List.of(hook("member_added", ROOM, "a"),
                hook("member_added", ROOM, "a")));
        assertThat(twice.violations()).singleElement().asString().contains("member " + ROOM + " a #1");
        WebhookHistory leaveFirst = WebhookHistory.of(List.of(hook("user_offline", null, "a"),
                hook("user_online", null, "a")));
        assertThat(leaveFirst.violations()).singleElement().asString().contains("user a #0");
        WebhookHistory vacatedTwice = WebhookHistory.of(List.of(hook("channel_occupied", ROOM, null),
                hook("channel_vacated", ROOM, null), hook("channel_vacated", ROOM, null)));
        assertThatThrownBy(vacatedTwice::assertAlternate).hasMessageContaining("channel " + ROOM + " #2");
    }
}
