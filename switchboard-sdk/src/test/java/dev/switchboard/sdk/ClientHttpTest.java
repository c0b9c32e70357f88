package dev.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every HTTP method against a local server that checks signatures and records what it got. */
class ClientHttpTest {
    private FakeServer server;
    private SwitchboardClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer("278d425bdf160c739803", "7ad3773142a6692b25b8");
        client = SwitchboardClient.builder()
                .appId("3").key(server.key).secret(server.secret)
                .host("127.0.0.1").port(server.port())
                .clock(RequestSignerTest.CLOCK)
                .encryptionMasterKeyBase64("zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=")
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void triggerSendsASignedJsonPost() {
        TriggerResult result = client.trigger("project-3", "foo", "{\"some\":\"data\"}");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.channels()).isEmpty();
        FakeServer.Request r = server.last();
        assertThat(r.signatureValid()).isTrue();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/apps/3/events");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"name\":\"foo\",\"data\":\"{\\\"some\\\":\\\"data\\\"}\",\"channels\":[\"project-3\"]}");
        assertThat(r.params()).containsKeys("auth_key", "auth_timestamp", "auth_version", "body_md5", "auth_signature");
    }

    @Test
    void triggerSerialisesObjectsAndPassesOptionsAndReadsInfo() {
        server.reply(200, "{\"channels\":{\"presence-a\":{\"user_count\":2,\"subscription_count\":3},\"b\":{}}}");
        TriggerResult result = client.trigger(List.of("presence-a", "b"), "ev", Map.of("k", 1),
                TriggerOptions.excluding("1.2").withInfo("user_count", "subscription_count"));
        JsonNode body = Json.parse(server.last().body());
        assertThat(body.get("data").textValue()).isEqualTo("{\"k\":1}");
        assertThat(body.get("channels")).hasSize(2);
        assertThat(body.get("socket_id").textValue()).isEqualTo("1.2");
        assertThat(body.get("info").textValue()).isEqualTo("user_count,subscription_count");
        assertThat(result.channels().get("presence-a").userCount()).isEqualTo(2);
        assertThat(result.channels().get("presence-a").subscriptionCount()).isEqualTo(3);
        assertThat(result.channels().get("b").userCount()).isNull();
    }

    @Test
    void batch() {
        server.reply(200, "{\"batch\":[{\"user_count\":1},{}]}");
        BatchResult result = client.triggerBatch(List.of(
                BatchEvent.of("presence-a", "e1", Map.of("x", "y")).withInfo("user_count"),
                BatchEvent.of("b", "e2", "raw").excluding("3.4")));
        FakeServer.Request r = server.last();
        assertThat(r.rawPath()).isEqualTo("/apps/3/batch_events");
        JsonNode items = Json.parse(r.body()).get("batch");
        assertThat(items.get(0).get("channel").textValue()).isEqualTo("presence-a");
        assertThat(items.get(0).get("name").textValue()).isEqualTo("e1");
        assertThat(items.get(0).get("data").textValue()).isEqualTo("{\"x\":\"y\"}");
        assertThat(items.get(0).get("info").textValue()).isEqualTo("user_count");
        assertThat(items.get(1).get("data").textValue()).isEqualTo("raw");
        assertThat(items.get(1).get("socket_id").textValue()).isEqualTo("3.4");
        assertThat(result.batch()).hasSize(2);
        assertThat(result.batch().get(0).userCount()).isEqualTo(1);
    }

    @Test
    void sendToUserTriggersTheServerToUserChannel() {
        client.sendToUser("user-42", "hello", Map.of("a", "b"));
        FakeServer.Request r = server.last();
        assertThat(r.rawPath()).isEqualTo("/apps/3/events");
        JsonNode body = Json.parse(r.body());
        assertThat(body.get("channels").get(0).textValue()).isEqualTo("#server-to-user-user-42");
        assertThat(body.get("name").textValue()).isEqualTo("hello");
        assertThat(body.get("data").textValue()).isEqualTo("{\"a\":\"b\"}");
    }

    @Test
    void terminateUserConnectionsPostsAnEmptyObject() {
        Ack ack = client.terminateUserConnections("a=b@c,d;e.f");
        FakeServer.Request r = server.last();
        assertThat(ack.status()).isEqualTo(200);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/apps/3/users/a=b@c,d;e.f/terminate_connections");
        assertThat(r.body()).isEqualTo("{}");
        assertThat(r.params()).containsEntry("body_md5", "99914b932bd37a50b983c5e7c90ae93b");
        assertThat(r.signatureValid()).isTrue();
    }

    @Test
    void channelQueries() {
        server.reply(200, "{\"channels\":{\"presence-a\":{\"user_count\":4},\"presence-b\":{\"user_count\":1}}}");
        ChannelsResult list = client.channels("presence-", "user_count");
        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().rawPath()).isEqualTo("/apps/3/channels");
        assertThat(server.last().params()).containsEntry("filter_by_prefix", "presence-").containsEntry("info", "user_count");
        assertThat(server.last().params()).doesNotContainKey("body_md5");
        assertThat(list.channels()).containsOnlyKeys("presence-a", "presence-b");
        assertThat(list.channels().get("presence-a").userCount()).isEqualTo(4);

        client.channels(null);
        assertThat(server.last().params()).doesNotContainKeys("filter_by_prefix", "info");

        server.reply(200, "{\"occupied\":true,\"subscription_count\":7,\"cache\":{\"event\":\"e\",\"data\":\"d\",\"ttl\":60}}");
        ChannelResult one = client.channel("cache-x", "subscription_count", "cache");
        assertThat(server.last().rawPath()).isEqualTo("/apps/3/channels/cache-x");
        assertThat(server.last().params()).containsEntry("info", "subscription_count,cache");
        assertThat(one.occupied()).isTrue();
        assertThat(one.info().subscriptionCount()).isEqualTo(7);
        assertThat(one.info().cache()).isEqualTo(new ChannelInfo.CachedEvent("e", "d", 60));

        server.reply(200, "{\"occupied\":false}");
        assertThat(client.channel("empty").occupied()).isFalse();

        server.reply(200, "{\"users\":[{\"id\":\"1\"},{\"id\":\"2\"}]}");
        PresenceUsers users = client.presenceUsers("presence-a");
        assertThat(server.last().rawPath()).isEqualTo("/apps/3/channels/presence-a/users");
        assertThat(users.ids()).containsExactly("1", "2");
        assertThat(users.status()).isEqualTo(200);
    }

    @Test
    void userDataApi() {
        server.reply(200, "{\"id\":\"u1\",\"online\":true,\"connections\":2,\"user_info\":{\"name\":\"Ann\"},"
                + "\"watchlist\":[\"u2\"],\"channels\":[\"presence-a\"]}");
        Optional<User> user = client.getUser("u1");
        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().rawPath()).isEqualTo("/apps/3/users/u1");
        assertThat(user).isPresent();
        assertThat(user.get().online()).isTrue();
        assertThat(user.get().connections()).isEqualTo(2);
        assertThat(user.get().userInfoJson()).isEqualTo("{\"name\":\"Ann\"}");
        assertThat(user.get().userInfoAs(Map.class)).containsEntry("name", "Ann");
        assertThat(user.get().watchlist()).containsExactly("u2");
        assertThat(user.get().channels()).containsExactly("presence-a");

        server.reply(404, "{\"error\":\"Unknown user\"}");
        assertThat(client.getUser("nobody")).isEmpty();
        assertThat(client.updateUser("nobody", Map.of("a", 1))).isEmpty();

        server.reply(200, "{\"id\":\"u1\",\"online\":false,\"connections\":0,\"user_info\":{\"name\":\"Bob\"},"
                + "\"watchlist\":[],\"channels\":[]}");
        Optional<User> updated = client.updateUser("u1", Map.of("name", "Bob"));
        assertThat(server.last().method()).isEqualTo("PUT");
        assertThat(server.last().body()).isEqualTo("{\"user_info\":{\"name\":\"Bob\"}}");
        assertThat(server.last().signatureValid()).isTrue();
        assertThat(updated.orElseThrow().userInfoJson()).isEqualTo("{\"name\":\"Bob\"}");

        server.reply(200, "{\"id\":\"u3\",\"online\":false,\"connections\":0,\"user_info\":null,\"watchlist\":[],\"channels\":[]}");
        assertThat(client.getUser("u3").orElseThrow().userInfoJson()).isNull();
        assertThat(client.getUser("u3").orElseThrow().userInfoAs(Map.class)).isNull();

        server.reply(200, "{\"users\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"total\":5,\"next_cursor\":\"b\"}");
        UserList page = client.listUsers(null, 2);
        assertThat(server.last().rawPath()).isEqualTo("/apps/3/users");
        assertThat(server.last().params()).containsEntry("limit", "2").doesNotContainKey("cursor");
        assertThat(page.ids()).containsExactly("a", "b");
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.nextCursor()).isEqualTo("b");
        server.reply(200, "{\"users\":[{\"id\":\"c\"}],\"total\":5,\"next_cursor\":null}");
        UserList last = client.listUsers("b", null);
        assertThat(server.last().params()).containsEntry("cursor", "b").doesNotContainKey("limit");
        assertThat(last.hasMore()).isFalse();

        server.reply(200, "{\"erased\":{\"id\":\"u1\",\"connections_closed\":2,\"presence_channels_left\":[\"presence-a\"],"
                + "\"user_info\":true,\"watchlist_entries\":1,\"watcher_entries\":3}}");
        UserErasure erased = client.deleteUser("u1");
        assertThat(server.last().method()).isEqualTo("DELETE");
        assertThat(server.last().rawPath()).isEqualTo("/apps/3/users/u1");
        assertThat(erased).isEqualTo(new UserErasure(200, "u1", 2, List.of("presence-a"), true, 1, 3, 0));
    }

    @Test
    void errorsCarryStatusAndServerMessage() {
        server.reply(413, "{\"error\":\"Event data too large\"}");
        assertThatThrownBy(() -> client.trigger("c", "e", "d"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.serverMessage()).isEqualTo("Event data too large");
                    assertThat(e.getMessage()).isEqualTo("HTTP 413: Event data too large");
                });
        server.reply(400, "plain text from hosted Pusher");
        assertThatThrownBy(() -> client.channels("x"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.serverMessage()).isEqualTo("plain text from hosted Pusher");
                });
        server.reply(404, "{\"error\":\"Unknown app\"}");
        assertThatThrownBy(() -> client.deleteUser("u"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.status()).isEqualTo(404));
        server.reply(202, "{}");
        assertThatThrownBy(() -> client.terminateUserConnections("u"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.status()).isEqualTo(202));
    }

    @Test
    void asyncFacesCompleteWithTheSameResults() {
        server.reply(200, "{\"users\":[{\"id\":\"1\"}]}");
        assertThat(client.async().presenceUsers("presence-a").join().ids()).containsExactly("1");
        server.reply(500, "{\"error\":\"boom\"}");
        assertThatThrownBy(() -> client.async().trigger("c", "e", "d").join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(SwitchboardException.class);
    }

    @Test
    void basePathPrefixesEveryRequestAndIsSigned() {
        SwitchboardClient prefixed = SwitchboardClient.builder().appId("3").key(server.key).secret(server.secret)
                .host("127.0.0.1").port(server.port()).basePath("/pusher/").build();
        prefixed.trigger("c", "e", "d");
        assertThat(server.last().rawPath()).isEqualTo("/pusher/apps/3/events");
        assertThat(server.last().signatureValid()).isTrue();
    }

    @Test
    void encryptedTriggerSendsNonceAndCiphertextOnly() {
        client.trigger("private-encrypted-bla", "secret-event", Map.of("message", "hello"));
        JsonNode data = Json.parse(Json.parse(server.last().body()).get("data").textValue());
        assertThat(data.fieldNames()).toIterable().containsExactly("nonce", "ciphertext");
        assertThat(server.last().body()).doesNotContain("hello");
    }
}
