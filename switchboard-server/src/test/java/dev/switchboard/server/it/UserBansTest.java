package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.Result;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.server.config.WebhookConfig;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.SwitchboardExtension;
import dev.switchboard.server.webhooks.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bans the server enforces, on one node, over HTTP with the Java client (issue 25 item 2, docs/users.md "Bans"):
 * terminate with ban_seconds closes the user's connections with 4009, and while the ban lasts a sign-in the app's auth
 * endpoint signs is refused (pusher:error, the connection stays open, not signed in); GET shows the ban's end, DELETE
 * lifts it, the webhooks say both.
 */
class UserBansTest {
    private static final Receiver webhooks = receiver();

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension(
            app -> app.withWebhooks(List.of(new WebhookConfig(webhooks.url(), List.of(), null, Map.of()))));

    private static Receiver receiver() {
        try {
            return new Receiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeReceiver() {
        webhooks.close();
    }

    private JavaClient signedIn(String user) {
        return server.client(null, server.auth().user(user, "Name " + user)).connect().signin();
    }

    /** A sign-in the app's auth endpoint signs, refused by the server: the error, no user, the socket still open. */
    private JavaClient refusedSignIn(String user) {
        JavaClient client = server.client(null, server.auth().user(user, "Name " + user)).connect();
        client.pusher().signin();
        eventually().until(() -> client.errors().stream().anyMatch(e -> e.message().contains("banned")));
        assertThat(client.pusher().user().userId()).isNull();
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        return client;
    }

    private static long webhookCount(String name, String user) {
        return webhooks.events().stream()
                .filter(e -> name.equals(e.path("name").asText()) && user.equals(e.path("user_id").asText()))
                .count();
    }

    /** switchboard_signin_ban_refusals of the test app, from /metrics. */
    private static double banRefusals() {
        try {
            String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "switchboard_signin_ban_refusals_total\\{app=\"" + SwitchboardExtension.APP_ID + "\"} ([0-9.]+)")
                    .matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET /users/{id}; null on 404 (nothing held: not online, no inbox, no ban). */
    private static JsonNode user(String user) {
        Result r = server.http().get("/users/" + user);
        if (r.getHttpStatus() == 404) {
            return null;
        }
        assertThat(r.getHttpStatus()).as(r.getMessage()).isEqualTo(200);
        return Json.parse(r.getMessage());
    }

    @Test
    void aBanClosesTheUsersConnectionsAndRefusesItsSignInsUntilLifted() {
        String user = uniqueChannel("troll");
        JavaClient first = signedIn(user);

        Result banned = server.http().post("/users/" + user + "/terminate_connections", "{\"ban_seconds\":600}");

        assertThat(banned.getHttpStatus()).as(banned.getMessage()).isEqualTo(200);
        long until = Json.parse(banned.getMessage()).path("banned_until_ms").asLong();
        assertThat(until).isGreaterThan(System.currentTimeMillis());
        eventually().until(() -> first.state() == ConnectionState.DISCONNECTED);
        // The Java client reports the pusher:error on its own thread, possibly after the state change.
        eventually().until(() -> first.errors().stream().anyMatch(e -> "4009".equals(e.code())));

        double refusedBefore = banRefusals();
        JavaClient again = refusedSignIn(user);
        // Counted once per refused sign-in (docs/users.md, "Bans"): the refusal above is the only one of this test.
        eventually().until(() -> banRefusals() == refusedBefore + 1);
        throughoutQuietPeriod().until(() -> again.state() == ConnectionState.CONNECTED
                && again.pusher().user().userId() == null);
        JsonNode held = user(user);
        assertThat(held.path("banned_until_ms").asLong()).isEqualTo(until);
        assertThat(held.path("online").asBoolean()).isFalse();
        eventually().until(() -> webhookCount("user_banned", user) == 1);
        JsonNode hook = webhooks.events().stream().filter(e -> e.path("name").asText().equals("user_banned")
                && e.path("user_id").asText().equals(user)).findFirst().orElseThrow();
        assertThat(hook.path("banned_until_ms").asLong()).isEqualTo(until);

        SwitchboardClient sdk = SwitchboardClient.builder().appId(SwitchboardExtension.APP_ID)
                .key(SwitchboardExtension.APP_KEY).secret(SwitchboardExtension.APP_SECRET)
                .host("127.0.0.1").port(server.port()).build();
        assertThat(sdk.liftBan(user)).isTrue();
        assertThat(sdk.liftBan(user)).isFalse();
        eventually().until(() -> webhookCount("user_unbanned", user) == 1);
        assertThat(user(user)).isNull();
        JavaClient back = signedIn(user);
        assertThat(back.pusher().user().userId()).isEqualTo(user);
        throughoutQuietPeriod().until(() -> webhookCount("user_unbanned", user) == 1);
    }

    @Test
    void aShortBanEndsByItselfAndSaysNothing() {
        String user = uniqueChannel("brief");
        Result banned = server.http().post("/users/" + user + "/terminate_connections", "{\"ban_seconds\":1}");
        assertThat(banned.getHttpStatus()).as(banned.getMessage()).isEqualTo(200);
        refusedSignIn(user);

        eventually().until(() -> user(user) == null);
        assertThat(signedIn(user).pusher().user().userId()).isEqualTo(user);
        assertThat(webhookCount("user_unbanned", user)).isZero();
    }

    @Test
    void aTerminateWithoutBanLeavesTheSignInsAlone() {
        String user = uniqueChannel("kicked");
        JavaClient first = signedIn(user);
        assertThat(server.http().post("/users/" + user + "/terminate_connections", "{}").getMessage()).isEqualTo("{}");
        eventually().until(() -> first.state() == ConnectionState.DISCONNECTED);
        assertThat(signedIn(user).pusher().user().userId()).isEqualTo(user);
        assertThat(Json.parse(server.http().get("/users/" + user).getMessage()).path("banned_until_ms").isNull()).isTrue();
    }

    @Test
    void badBanValuesAreA400AndBanNobody() {
        String user = uniqueChannel("spared");
        for (String body : List.of("{\"ban_seconds\":0}", "{\"ban_seconds\":-5}", "{\"ban_seconds\":1.5}",
                "{\"ban_seconds\":\"60\"}", "{\"ban_seconds\":86401}", "{\"ban_seconds\":null}", "[1]", "nope")) {
            Result r = server.http().post("/users/" + user + "/terminate_connections", body);
            assertThat(r.getHttpStatus()).as(body + " -> " + r.getMessage()).isEqualTo(400);
            assertThat(Json.parse(r.getMessage()).path("error").asText()).isNotEmpty();
        }
        assertThat(signedIn(user).pusher().user().userId()).isEqualTo(user);
    }
}
