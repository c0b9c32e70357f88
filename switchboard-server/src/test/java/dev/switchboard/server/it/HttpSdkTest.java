package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.PresenceUser;
import com.pusher.rest.data.Result;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP API through pusher-http-java: channel queries (it percent-encodes query values after signing the
 * raw ones), trigger status codes and authentication (PROTOCOL.md §6).
 */
class HttpSdkTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    private void join(String channel, String userId) {
        server.client(new PresenceUser(userId, Map.of("name", "n" + userId))).connect().subscribePresence(channel);
    }

    @Test
    void channelsListsOnlyOccupiedChannelsMatchingThePrefix() {
        String prefix = uniqueChannel("listing") + "-";
        server.connectedClient().subscribe(prefix + "a");
        server.connectedClient().subscribe(prefix + "b");
        server.connectedClient().subscribe(uniqueChannel("elsewhere"));

        JsonNode body = Json.body(server.http().get("/channels", Map.of("filter_by_prefix", prefix)));

        assertThat(fieldNames(body.get("channels"))).containsExactlyInAnyOrder(prefix + "a", prefix + "b");
        assertThat(body.get("channels").get(prefix + "a").isObject()).isTrue();
        assertThat(body.get("channels").get(prefix + "a").size()).isZero();
    }

    @Test
    void channelsWithUserCountForAPresencePrefix() {
        String prefix = uniqueChannel("presence-lobby") + "-";
        join(prefix + "x", "1");
        join(prefix + "x", "2");
        join(prefix + "y", "3");

        JsonNode channels = Json.body(server.http().get("/channels",
                Map.of("filter_by_prefix", prefix, "info", "user_count"))).get("channels");

        assertThat(channels.get(prefix + "x").get("user_count").intValue()).isEqualTo(2);
        assertThat(channels.get(prefix + "y").get("user_count").intValue()).isEqualTo(1);
    }

    @Test
    void userCountWithoutAPresencePrefixIsABadRequest() {
        Result result = server.http().get("/channels", Map.of("filter_by_prefix", "public-", "info", "user_count"));

        assertThat(result.getHttpStatus()).isEqualTo(400);
    }

    @Test
    void channelListNeverShowsServerToUserChannels() {
        JsonNode channels = Json.body(server.http().get("/channels")).get("channels");

        fieldNames(channels).forEach(name -> assertThat(name).doesNotStartWith("#"));
    }

    @Test
    void occupiedPresenceChannelReportsItsUserCount() {
        String channel = uniqueChannel("presence-info");
        join(channel, "1");
        join(channel, "2");

        JsonNode body = Json.body(server.http().get("/channels/" + channel, Map.of("info", "user_count")));

        assertThat(body.get("occupied").booleanValue()).isTrue();
        assertThat(body.get("user_count").intValue()).isEqualTo(2);
    }

    @Test
    void percentEncodedCommaInInfoIsAccepted() {
        // info=user_count,cache goes over the wire as info=user_count%2Ccache but was signed unencoded.
        String channel = uniqueChannel("presence-cache-info");
        join(channel, "1");
        server.http().trigger(channel, "state", Map.of("v", 1));

        JsonNode body = Json.body(server.http().get("/channels/" + channel, Map.of("info", "user_count,cache")));

        assertThat(body.get("occupied").booleanValue()).isTrue();
        assertThat(body.get("user_count").intValue()).isEqualTo(1);
        assertThat(body.get("cache").get("data").textValue()).isEqualTo("{\"v\":1}");
        assertThat(body.get("cache").get("ttl").intValue()).isPositive();
    }

    @Test
    void unoccupiedChannelIsReportedAsNotOccupied() {
        JsonNode body = Json.body(server.http().get("/channels/" + uniqueChannel("nobody")));

        assertThat(body.get("occupied").booleanValue()).isFalse();
    }

    @Test
    void usersOfAPresenceChannelAreListedByStringId() {
        String channel = uniqueChannel("presence-users");
        join(channel, "1");
        join(channel, "2");
        join(channel, "2");

        JsonNode users = Json.body(server.http().get("/channels/" + channel + "/users")).get("users");

        List<String> ids = new ArrayList<>();
        users.forEach(u -> ids.add(u.get("id").textValue()));
        assertThat(ids).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void usersOfAnEmptyPresenceChannelIsAnEmptyList() {
        JsonNode body = Json.body(server.http().get("/channels/" + uniqueChannel("presence-empty") + "/users"));

        assertThat(body.get("users").isArray()).isTrue();
        assertThat(body.get("users").size()).isZero();
    }

    @Test
    void usersOfANonPresenceChannelIsABadRequest() {
        Result result = server.http().get("/channels/" + uniqueChannel("plain") + "/users");

        assertThat(result.getHttpStatus()).isEqualTo(400);
    }

    @Test
    void requestSignedWithAnotherSecretIsRejected() throws Exception {
        try (Pusher wrong = new Pusher(SwitchboardExtension.APP_ID, SwitchboardExtension.APP_KEY, "not-the-secret")) {
            wrong.setHost("127.0.0.1:" + server.port());
            wrong.setEncrypted(false);

            Result result = wrong.trigger(uniqueChannel("x"), "e", Map.of());

            assertThat(result.getHttpStatus()).isEqualTo(401);
            assertThat(result.getStatus()).isEqualTo(Result.Status.AUTHENTICATION_ERROR);
        }
    }

    @Test
    void triggerSucceedsWithExactly200() {
        Result result = server.http().trigger(uniqueChannel("ok"), "e", Map.of("a", 1));

        assertThat(result.getHttpStatus()).isEqualTo(200);
        assertThat(result.getStatus()).isEqualTo(Result.Status.SUCCESS);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void eventDataOverTenKilobytesIsRefusedWith413() {
        String channel = uniqueChannel("big");
        Result result = server.http().post("/events", Json.write(Map.of(
                "name", "e", "channels", List.of(channel), "data", "x".repeat(10 * 1024 + 1))));

        assertThat(result.getHttpStatus()).isEqualTo(413);
    }

    @Test
    void eventDataOfExactlyTenKilobytesIsAccepted() {
        String channel = uniqueChannel("limit");
        Result result = server.http().post("/events", Json.write(Map.of(
                "name", "e", "channels", List.of(channel), "data", "x".repeat(10 * 1024))));

        assertThat(result.getHttpStatus()).isEqualTo(200);
    }
}
