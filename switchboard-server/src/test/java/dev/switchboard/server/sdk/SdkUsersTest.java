package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.sdk.User;
import dev.switchboard.sdk.UserData;
import dev.switchboard.sdk.UserErasure;
import dev.switchboard.sdk.UserList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sign-in with authenticateUser, sendToUser, terminate and the user data API against the real server. */
class SdkUsersTest extends SdkServer {

    @Test
    void signInAnswerIsAcceptedAndSendToUserReachesEverySocketOfTheUser() {
        UserData ann = UserData.of("ann").withUserInfo(Map.of("name", "Ann"));
        RawSocket first = signedIn(ann);
        RawSocket second = signedIn(ann);
        RawSocket stranger = signedIn(UserData.of("bob"));
        // pusher-js subscribes to its server-to-user channel after sign-in with an empty auth.
        first.send(Map.of("event", "pusher:subscribe", "data", Map.of("channel", "#server-to-user-ann", "auth", "")));
        first.await(f -> "pusher_internal:subscription_succeeded".equals(RawSocket.event(f))
                && "#server-to-user-ann".equals(RawSocket.channel(f)));

        client.sendToUser("ann", "note", Map.of("text", "ready"));
        RawSocket.assertEventData(first.awaitEvent("#server-to-user-ann", "note"), "{\"text\":\"ready\"}");
        RawSocket.assertEventData(second.awaitEvent("#server-to-user-ann", "note"), "{\"text\":\"ready\"}");
        client.sendToUser("bob", "note-bob", "x");
        stranger.awaitEvent("#server-to-user-bob", "note-bob");
        assertThat(stranger.received(f -> "note".equals(RawSocket.event(f)))).isFalse();
    }

    @Test
    void terminateClosesEverySignedInConnectionOfTheUser() {
        RawSocket a = signedIn(UserData.of("ann"));
        RawSocket b = signedIn(UserData.of("ann"));
        RawSocket other = signedIn(UserData.of("bob"));
        assertThat(client.terminateUserConnections("ann").status()).isEqualTo(200);
        JsonNode error = a.await(f -> "pusher:error".equals(RawSocket.event(f)));
        assertThat(RawSocket.data(error).get("code").asInt()).isEqualTo(4009);
        assertThat(a.awaitClose()).isEqualTo(4009);
        assertThat(b.awaitClose()).isEqualTo(4009);
        // Bob is untouched.
        client.sendToUser("bob", "still-here", "x");
        other.awaitEvent("#server-to-user-bob", "still-here");
        assertThat(client.getUser("ann")).isEmpty();
    }

    @Test
    void getUserShowsWhatTheServerHolds() {
        RawSocket s = signedIn(UserData.of("ann").withUserInfo(Map.of("name", "Ann")).withWatchlist(List.of("bob")));
        // Presence through sign-in: authorized like private, member taken from the signed-in user (§3.4).
        s.subscribe("presence-room", client.authorizeChannel(s.socketId, "presence-room"));
        s.subscribe("news", null);

        User ann = client.getUser("ann").orElseThrow();
        assertThat(ann.status()).isEqualTo(200);
        assertThat(ann.id()).isEqualTo("ann");
        assertThat(ann.online()).isTrue();
        assertThat(ann.connections()).isEqualTo(1);
        assertThat(ann.userInfoAs(Map.class)).isEqualTo(Map.of("name", "Ann"));
        assertThat(ann.watchlist()).containsExactly("bob");
        assertThat(ann.channels()).contains("news", "presence-room");
        assertThat(client.presenceUsers("presence-room").ids()).containsExactly("ann");

        assertThat(client.getUser("nobody")).isEmpty();
    }

    @Test
    void listUsersPagesThroughOnlineUsers() {
        signedIn(UserData.of("a"));
        signedIn(UserData.of("b"));
        signedIn(UserData.of("c"));
        UserList first = client.listUsers(null, 2);
        assertThat(first.ids()).containsExactly("a", "b");
        assertThat(first.total()).isEqualTo(3);
        assertThat(first.hasMore()).isTrue();
        UserList second = client.listUsers(first.nextCursor(), 2);
        assertThat(second.ids()).containsExactly("c");
        assertThat(second.hasMore()).isFalse();
        assertThat(client.listUsers(null, null).ids()).containsExactly("a", "b", "c");
    }

    @Test
    void updateUserReplacesUserInfo() {
        signedIn(UserData.of("ann").withUserInfo(Map.of("name", "Ann")));
        Optional<User> updated = client.updateUser("ann", Map.of("name", "Ann B."));
        assertThat(updated).isPresent();
        assertThat(updated.get().userInfoJson()).isEqualTo("{\"name\":\"Ann B.\"}");
        assertThat(client.getUser("ann").orElseThrow().userInfoJson()).isEqualTo("{\"name\":\"Ann B.\"}");
        assertThat(client.updateUser("ghost", Map.of("x", 1))).isEmpty();
    }

    @Test
    void deleteUserErasesAndReports() {
        RawSocket bob = signedIn(UserData.of("bob").withWatchlist(List.of("ann", "carol")));
        signedIn(UserData.of("ann").withWatchlist(List.of("bob")));
        bob.subscribe("presence-room", client.authorizeChannel(bob.socketId, "presence-room"));

        UserErasure erased = client.deleteUser("bob");
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.id()).isEqualTo("bob");
        assertThat(erased.connectionsClosed()).isEqualTo(1);
        assertThat(erased.presenceChannelsLeft()).containsExactly("presence-room");
        assertThat(erased.watchlistEntriesErased()).isEqualTo(2);
        assertThat(erased.watcherEntriesErased()).isEqualTo(1);
        assertThat(bob.awaitClose()).isEqualTo(4009);
        assertThat(client.getUser("bob")).isEmpty();
        assertThat(client.getUser("ann").orElseThrow().watchlist()).isEmpty();
    }

    @Test
    void idsWithEveryAllowedPunctuationWorkInPaths() {
        String id = "a=b@c,d;e.f-_";
        RawSocket s = signedIn(UserData.of(id));
        assertThat(client.getUser(id).orElseThrow().id()).isEqualTo(id);
        assertThat(client.updateUser(id, Map.of("k", "v"))).isPresent();
        client.sendToUser(id, "hi", "x");
        s.awaitEvent("#server-to-user-" + id, "hi");
        client.terminateUserConnections(id);
        assertThat(s.awaitClose()).isEqualTo(4009);
    }
}
