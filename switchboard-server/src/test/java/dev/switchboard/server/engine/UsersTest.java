package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.testing.Apps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsersTest {

    @Test
    void signinEchoesUserDataAndRefusalsKeepTheConnectionOpen() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client c = f.connect();
            c.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"nope\",\"user_data\":\"{}\"}}");
            c.awaitFrame("Invalid format");
            c.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"app-key:" + "a".repeat(64)
                    + "\",\"user_data\":\"{\\\"id\\\":\\\"1\\\"}\"}}");
            c.awaitFrame("Invalid signature");
            c.signin("not json");
            c.awaitFrame("must be a JSON object");
            c.signin("{\"name\":\"x\"}");
            c.signin("{\"id\":5}");
            c.signin("{\"id\":\"a b\"}");
            c.signin("{\"id\":\"1\",\"watchlist\":\"2\"}");
            c.awaitFrame("watchlist must be an array");
            assertThat(c.peer.count("non-empty string")).isEqualTo(2);
            assertThat(c.peer.received("may only contain")).isTrue();
            c.signin("{\"id\":\"1\",\"user_info\":{\"name\":\"Ann\"}}");
            c.awaitFrame("{\"event\":\"pusher:signin_success\",\"data\":{\"user_data\":\"{\\\"id\\\":\\\"1\\\",\\\"user_info\\\":{\\\"name\\\":\\\"Ann\\\"}}\"}}");
            c.signin("{\"id\":\"2\"}");
            c.awaitFrame("already signed in as a different user");
            assertThat(c.connection.userId()).isEqualTo("1");
            assertThat(c.peer.closedWith).isNull();
        }
    }

    @Test
    void serverToUserReachesEveryConnectionOfTheUserAndNobodyElse() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client[] ann = {f.connect(), f.connect(), f.connect()};
            EngineFixture.Client bob = f.connect();
            for (EngineFixture.Client c : ann) {
                c.signin("{\"id\":\"ann\"}");
                c.awaitFrame("signin_success");
            }
            bob.signin("{\"id\":\"bob\"}");
            bob.subscribe("#server-to-user-ann");
            bob.awaitFrame("only allowed for a connection signed in as ann");
            ann[0].subscribe("#server-to-user-ann");
            ann[0].awaitFrame("subscription_succeeded");
            f.appEngine().trigger("#server-to-user-ann", "order", "shipped", ann[2].connection.socketId());
            f.appEngine().trigger("#server-to-user-ann", "marker", "m", null);
            for (EngineFixture.Client c : ann) {
                c.awaitFrame("\"marker\"");
            }
            assertThat(ann[0].peer.received("{\"event\":\"order\",\"channel\":\"#server-to-user-ann\",\"data\":\"shipped\"}")).isTrue();
            assertThat(ann[1].peer.received("\"order\"")).isTrue();
            assertThat(ann[2].peer.received("\"order\"")).isFalse();
            bob.drain();
            assertThat(bob.peer.received("\"order\"")).isFalse();
        }
    }

    @Test
    void terminateClosesSignedInConnectionsOnlyWith4009() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client signed = f.connect();
            signed.signin("{\"id\":\"mal\"}");
            signed.subscribePresence("presence-room", "{\"user_id\":\"mal\"}");
            signed.awaitFrame("subscription_succeeded");
            EngineFixture.Client onlyPresence = f.connect();
            onlyPresence.subscribePresence("presence-room", "{\"user_id\":\"mal\"}");
            EngineFixture.Client other = f.connect();
            other.subscribePresence("presence-room", "{\"user_id\":\"x\"}");
            other.awaitFrame("subscription_succeeded");
            f.appEngine().terminateUser("mal");
            f.appEngine().terminateUser("nobody");
            signed.awaitFrame("\"code\":4009");
            assertThat(signed.peer.closedWith).isEqualTo(CloseCode.UNAUTHORIZED);
            onlyPresence.drain();
            assertThat(onlyPresence.peer.closedWith).isNull();
            // The presence-only connection still holds user "mal" in the roster, so no member_removed yet.
            other.drain();
            assertThat(other.peer.received("member_removed")).isFalse();
            assertThat(EngineFixture.now(f.appEngine().user("mal"))).isNull();
        }
    }

    @Test
    void watchlistSendsInitialStateThenOnlineAndOfflineToEveryWatcherConnection() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client bob = f.connect();
            bob.signin("{\"id\":\"bob\"}");
            bob.awaitFrame("signin_success");
            EngineFixture.Client w1 = f.connect();
            EngineFixture.Client w2 = f.connect();
            w1.signin("{\"id\":\"w\",\"watchlist\":[\"bob\",\"carl\"]}");
            w1.awaitFrame("{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[{\"name\":\"online\",\"user_ids\":[\"bob\"]},{\"name\":\"offline\",\"user_ids\":[\"carl\"]}]}}");
            w2.signin("{\"id\":\"w\",\"watchlist\":[\"bob\",\"carl\"]}");
            w2.awaitFrame("watchlist_events");

            EngineFixture.Client carl1 = f.connect();
            EngineFixture.Client carl2 = f.connect();
            carl1.signin("{\"id\":\"carl\"}");
            carl1.awaitFrame("signin_success");
            carl2.signin("{\"id\":\"carl\"}");
            carl2.awaitFrame("signin_success");
            String online = "{\"name\":\"online\",\"user_ids\":[\"carl\"]}";
            w1.awaitFrame(online);
            w2.awaitFrame(online);
            f.appEngine().terminateUser("carl");
            String offline = "{\"name\":\"offline\",\"user_ids\":[\"carl\"]}";
            w1.awaitFrame(offline);
            w2.awaitFrame(offline);
            assertThat(w1.peer.count(online)).isEqualTo(1);
            assertThat(w1.peer.count(offline)).isEqualTo(2); // initial state + the transition
        }
    }

    /**
     * Issue 20: the state read at sign-in and an event published meanwhile (on another node, or two friends signing
     * in at once) may say the same thing; a watcher is told each state once, so online and offline alternate.
     */
    @Test
    void aWatcherIsNeverToldTheStateItHoldsAgain() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client bob = f.connect();
            bob.signin("{\"id\":\"bob\"}");
            bob.awaitFrame("signin_success");
            EngineFixture.Client w = f.connect();
            w.signin("{\"id\":\"w\",\"watchlist\":[\"bob\"]}");
            w.awaitFrame("{\"name\":\"online\",\"user_ids\":[\"bob\"]}");
            Topic watchers = Topic.watchers(f.appEngine().config().id(), "bob");
            String online = "{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[{\"name\":\"online\","
                    + "\"user_ids\":[\"bob\"]}]}}";
            String offline = online.replace("online", "offline");
            f.engine.deliver(watchers, Frame.of(new ServerMessage.WatchlistEvents(List.of("bob"), List.of())), null);
            f.engine.deliver(watchers, Frame.of(new ServerMessage.WatchlistEvents(List.of(), List.of("bob"))), null);
            f.engine.deliver(watchers, Frame.of(new ServerMessage.WatchlistEvents(List.of(), List.of("bob"))), null);
            f.engine.deliver(watchers, Frame.of(new ServerMessage.WatchlistEvents(List.of("bob"), List.of())), null);
            w.awaitFrame(offline);
            dev.switchboard.server.testing.Waits.eventually().until(() -> w.peer.count(online) == 2);
            // the sign-in's state (online), the first online event dropped, offline once, online again
            assertThat(w.peer.count(offline)).isEqualTo(1);
            assertThat(w.peer.count(online)).isEqualTo(2);
        }
    }

    /**
     * Issue 20, the watchlist left offline under churn: one user's online and offline, decided by two threads (or two
     * nodes) in one order, can reach a watcher in the other. Each carries its place in the user's order; a watcher
     * drops one older than what it holds, the state read at sign-in included, so it ends on the last decided.
     */
    @Test
    void aWatcherDropsAChangeOlderThanOneItHolds() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client bob = f.connect();
            bob.signin("{\"id\":\"bob\"}");
            bob.awaitFrame("signin_success");
            EngineFixture.Client w = f.connect();
            w.signin("{\"id\":\"w\",\"watchlist\":[\"bob\"]}");
            w.awaitFrame("{\"name\":\"online\",\"user_ids\":[\"bob\"]}");
            Topic watchers = Topic.watchers(f.appEngine().config().id(), "bob");
            ServerMessage on = new ServerMessage.WatchlistEvents(List.of("bob"), List.of());
            ServerMessage off = new ServerMessage.WatchlistEvents(List.of(), List.of("bob"));
            String online = "{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[{\"name\":\"online\","
                    + "\"user_ids\":[\"bob\"]}]}}";
            String offline = online.replace("online", "offline");
            // bob's online (position 1) is in the state w read at its sign-in: an offline decided before it is old news
            f.engine.deliver(watchers, Frame.membership(off, 1), null);
            f.engine.deliver(watchers, Frame.membership(off, 1001), null);
            f.engine.deliver(watchers, Frame.membership(on, 1003), null);
            f.engine.deliver(watchers, Frame.membership(off, 1002), null); // decided before the online it follows
            f.engine.deliver(watchers, Frame.membership(off, 1004), null);
            f.engine.deliver(watchers, Frame.of(on), null); // outside the order (erasure, a node cut off): news
            dev.switchboard.server.testing.Waits.eventually().until(() -> w.peer.count(online) == 3);
            assertThat(w.peer.count(offline)).isEqualTo(2); // at 1001 and 1004
            assertThat(w.peer.count(online)).isEqualTo(3); // the sign-in's state, 1003, the unordered one
        }
    }

    @Test
    void watchlistOverTheLimitKeepsTheFirstIdsAndSends4302() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("maxWatchlistSize", 2)))) {
            EngineFixture.Client c = f.connect();
            c.signin("{\"id\":\"w\",\"watchlist\":[\"a\",\"b\",\"c\"]}");
            c.awaitFrame("\"code\":4302");
            assertThat(c.peer.received("signin_success")).isTrue();
            assertThat(EngineFixture.now(f.appEngine().user("w")).watchlist()).containsExactly("a", "b");
        }
    }

    @Test
    void authorizedConnectionsCloseSilentSocketsWith4009() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("requireAuthorizedConnections", true,
                "userAuthenticationTimeoutSeconds", 1)))) {
            EngineFixture.Client silent = f.connect();
            EngineFixture.Client signed = f.connect();
            EngineFixture.Client privateSub = f.connect();
            signed.signin("{\"id\":\"1\"}");
            privateSub.subscribePrivate("private-x");
            silent.awaitFrame("Connection not authorized within timeout");
            assertThat(silent.peer.closedWith).isEqualTo(CloseCode.UNAUTHORIZED);
            signed.drain();
            privateSub.drain();
            assertThat(signed.peer.closedWith).isNull();
            assertThat(privateSub.peer.closedWith).isNull();
        }
    }

    @Test
    void userDataApiReadsUpdatesListsAndErases() {
        try (EngineFixture f = new EngineFixture()) {
            EngineFixture.Client a = f.connect();
            a.signin("{\"id\":\"a\",\"user_info\":{\"n\":1},\"watchlist\":[\"b\"]}");
            a.subscribePresence("presence-p", "{\"user_id\":\"a\"}");
            a.subscribe("news");
            a.awaitFrame("\"channel\":\"news\"");
            EngineFixture.Client b = f.connect();
            b.signin("{\"id\":\"b\",\"watchlist\":[\"a\"]}");
            b.awaitFrame("signin_success");

            UserSnapshot snap = EngineFixture.now(f.appEngine().user("a"));
            assertThat(snap.online()).isTrue();
            assertThat(snap.connections()).isEqualTo(1);
            assertThat(snap.userInfoJson()).isEqualTo("{\"n\":1}");
            assertThat(snap.watchlist()).containsExactly("b");
            assertThat(snap.channels()).containsExactly("news", "presence-p");
            assertThat(EngineFixture.now(f.appEngine().onlineUsers(null, 1))).isEqualTo(new UserPage(java.util.List.of("a"), 2, "a"));
            assertThat(EngineFixture.now(f.appEngine().onlineUsers("a", 1))).isEqualTo(new UserPage(java.util.List.of("b"), 2, null));

            assertThat(EngineFixture.now(f.appEngine().updateUserInfo("a", "{\"n\":2}"))).isTrue();
            assertThat(EngineFixture.now(f.appEngine().updateUserInfo("zz", "{}"))).isFalse();
            assertThat(EngineFixture.now(f.appEngine().user("a")).userInfoJson()).isEqualTo("{\"n\":2}");

            UserErasure erased = EngineFixture.now(f.appEngine().deleteUser("a"));
            assertThat(erased).isEqualTo(new UserErasure("a", 1, java.util.List.of("presence-p"), true, 1, 1));
            assertThat(EngineFixture.now(f.appEngine().user("a"))).isNull();
            assertThat(EngineFixture.now(f.appEngine().user("b")).watchlist()).isEmpty();
            a.awaitFrame("\"code\":4009");
            b.awaitFrame("{\"name\":\"offline\",\"user_ids\":[\"a\"]}");
            assertThat(EngineFixture.now(f.appEngine().deleteUser("a"))).isNull();
        }
    }
}
