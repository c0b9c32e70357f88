package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.PresenceUser;
import com.pusher.rest.data.Result;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The users model with the Java client and the raw paths a Java app must use, since pusher-http-java has no
 * sendToUser or terminate helper and its trigger refuses {@code #} names (PROTOCOL.md §5, §5.8, §5.11).
 */
class JavaClientUsersTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    private static String uniqueUser() {
        return uniqueChannel("user");
    }

    private JavaClient signedIn(String userId) {
        return server.client(server.auth().channels(new PresenceUser(userId)), server.auth().user(userId, "Name " + userId))
                .connect()
                .signin();
    }

    /** The request body pusher-http-node's sendToUser would send, posted raw. */
    private static Result sendToUser(Pusher http, String userId, String event, String data) {
        return http.post("/events", Json.write(Map.of(
                "name", event, "channels", List.of("#server-to-user-" + userId), "data", data)));
    }

    private static List<PusherEvent> bindUser(JavaClient client, String event) {
        List<PusherEvent> received = new CopyOnWriteArrayList<>();
        client.pusher().user().bind(event, received::add);
        return received;
    }

    @Test
    void signinMakesTheUserKnownToTheClient() {
        String user = uniqueUser();

        JavaClient client = signedIn(user);

        assertThat(client.pusher().user().userId()).isEqualTo(user);
        assertThat(client.errors()).isEmpty();
    }

    @Test
    void eventPostedToTheServerToUserChannelReachesTheSignedInUser() {
        String user = uniqueUser();
        JavaClient client = signedIn(user);
        List<PusherEvent> received = bindUser(client, "hello");

        Result result = sendToUser(server.http(), user, "hello", "{\"greeting\":\"hi Zoë\"}");

        assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
        eventually().until(() -> received.size() == 1);
        assertThat(received.get(0).getChannelName()).isEqualTo("#server-to-user-" + user);
        assertThat(received.get(0).getData()).isEqualTo("{\"greeting\":\"hi Zoë\"}");
    }

    @Test
    void serverToUserEventReachesEveryConnectionOfThatUserAndNoOtherUser() {
        String user = uniqueUser();
        String otherUser = uniqueUser();
        List<PusherEvent> first = bindUser(signedIn(user), "note");
        List<PusherEvent> second = bindUser(signedIn(user), "note");
        JavaClient other = signedIn(otherUser);
        List<PusherEvent> otherNotes = bindUser(other, "note");
        List<PusherEvent> otherMarkers = bindUser(other, "marker");
        Pusher http = server.http();

        sendToUser(http, user, "note", "{}");
        eventually().until(() -> first.size() == 1 && second.size() == 1);
        sendToUser(http, otherUser, "marker", "{}");

        eventually().until(() -> otherMarkers.size() == 1);
        assertThat(otherNotes).isEmpty();
    }

    @Test
    void serverToUserEventHonoursSocketIdExclusion() {
        String user = uniqueUser();
        JavaClient excluded = signedIn(user);
        List<PusherEvent> excludedNotes = bindUser(excluded, "note");
        List<PusherEvent> excludedMarkers = bindUser(excluded, "marker");
        List<PusherEvent> otherNotes = bindUser(signedIn(user), "note");
        Pusher http = server.http();

        http.post("/events", Json.write(Map.of("name", "note", "channels", List.of("#server-to-user-" + user),
                "data", "{}", "socket_id", excluded.socketId())));
        eventually().until(() -> otherNotes.size() == 1);
        sendToUser(http, user, "marker", "{}");

        eventually().until(() -> excludedMarkers.size() == 1);
        assertThat(excludedNotes).isEmpty();
    }

    @Test
    void signinWithAWrongSignatureIsRefusedAndTheConnectionStays() {
        String user = uniqueUser();
        JavaClient client = server.client(null, server.auth().userWithWrongSignature(user)).connect();

        client.pusher().signin();

        eventually().until(() -> !client.errors().isEmpty());
        assertThat(client.pusher().user().userId()).isNull();
        throughoutQuietPeriod().until(() -> client.state() == ConnectionState.CONNECTED);
        assertThat(client.states()).doesNotContain(ConnectionState.RECONNECTING, ConnectionState.DISCONNECTED);
        // Refused sign-in means the connection is not that user's: terminating the user leaves it alone.
        server.http().post("/users/" + user + "/terminate_connections", "{}");
        throughoutQuietPeriod().until(() -> client.state() == ConnectionState.CONNECTED);
    }

    @Test
    void terminateClosesTheUsersConnectionsWith4009AndTheyDoNotReconnect() {
        String user = uniqueUser();
        JavaClient first = signedIn(user);
        JavaClient second = signedIn(user);

        Result result = server.http().post("/users/" + user + "/terminate_connections", "{}");

        assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
        assertThat(Json.parse(result.getMessage()).size()).isZero();
        eventually().until(() -> first.state() == ConnectionState.DISCONNECTED && second.state() == ConnectionState.DISCONNECTED);
        // A 40xx close: the Java client must stay down rather than back off and retry.
        throughoutQuietPeriod().until(() -> first.state() == ConnectionState.DISCONNECTED
                && second.state() == ConnectionState.DISCONNECTED);
        assertThat(first.states()).doesNotContain(ConnectionState.RECONNECTING);
        assertThat(second.states()).doesNotContain(ConnectionState.RECONNECTING);
        // Protocol 5 gets the pusher:error with the code before the close frame.
        assertThat(first.errors()).anySatisfy(e -> assertThat(e.code()).isEqualTo("4009"));
    }

    @Test
    void terminateLeavesConnectionsThatOnlyUsedTheIdInPresenceData() {
        String user = uniqueUser();
        String channel = uniqueChannel("presence-terminate");
        JavaClient signedIn = signedIn(user);
        // Same user id, but only as presence channel_data: never signed in, so not that user's connection.
        JavaClient presenceOnly = server.client(new PresenceUser(user)).connect();
        EventLog presenceLog = presenceOnly.subscribePresence(channel, "after");
        JavaClient bystander = signedIn(uniqueUser());

        Result result = server.http().post("/users/" + user + "/terminate_connections", "{}");

        assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
        eventually().until(() -> signedIn.state() == ConnectionState.DISCONNECTED);
        server.http().trigger(channel, "after", Map.of());
        presenceLog.awaitEvent("after");
        assertThat(presenceOnly.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(bystander.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(presenceOnly.errors()).isEmpty();
        assertThat(bystander.errors()).isEmpty();
    }

    @Test
    void terminatingAUserWithNoConnectionsSucceeds() {
        Result result = server.http().post("/users/" + uniqueUser() + "/terminate_connections", "{}");

        assertThat(result.getHttpStatus()).isEqualTo(200);
    }

    @Test
    void serverToUserChannelOfAnotherUserCannotBeSubscribed() {
        String victim = uniqueUser();
        JavaClient intruder = signedIn(uniqueUser());
        JavaClient anonymous = server.connectedClient();

        // Pusher-js refuses '#' names itself; the Java client sends them, so the server is the only guard.
        EventLog intruderLog = intruder.subscribeNoWait("#server-to-user-" + victim, "secret");
        EventLog anonymousLog = anonymous.subscribeNoWait("#server-to-user-" + victim, "secret");
        eventually().until(() -> !intruder.errors().isEmpty() && !anonymous.errors().isEmpty());
        List<PusherEvent> victimReceived = bindUser(signedIn(victim), "secret");
        sendToUser(server.http(), victim, "secret", "{}");

        eventually().until(() -> victimReceived.size() == 1);
        assertThat(intruderLog.subscribed()).isFalse();
        assertThat(anonymousLog.subscribed()).isFalse();
        assertThat(intruderLog.events()).isEmpty();
        assertThat(anonymousLog.events()).isEmpty();
    }

    @Test
    void userIdsWithEveryAllowedPunctuationWorkForSendAndTerminate() {
        String user = uniqueUser() + "_a-b=c@d,e.f;g";
        JavaClient client = signedIn(user);
        List<PusherEvent> received = bindUser(client, "hello");

        Result sent = sendToUser(server.http(), user, "hello", "{}");
        assertThat(sent.getStatus()).as(sent.getMessage()).isEqualTo(Result.Status.SUCCESS);
        eventually().until(() -> received.size() == 1);

        Result terminated = server.http().post("/users/" + user + "/terminate_connections", "{}");
        assertThat(terminated.getStatus()).as(terminated.getMessage()).isEqualTo(Result.Status.SUCCESS);
        eventually().until(() -> client.state() == ConnectionState.DISCONNECTED);
    }
}
