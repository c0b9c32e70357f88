package dev.switchboard.server.api;

import static dev.switchboard.server.api.ApiFixture.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.api.ApiFixture.Reply;
import dev.switchboard.server.api.ApiFixture.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserEndpointsTest {
    ApiFixture f = new ApiFixture();

    @AfterEach
    void close() {
        f.close();
    }

    Socket signedIn(String userData) {
        Socket s = f.connect();
        s.signin(userData);
        s.awaitFrame("pusher:signin_success");
        return s;
    }

    // ------------------------------------------------------------------ terminate

    @Test
    void terminateClosesEverySignedInSocketOfTheUserOnly() {
        Socket a = signedIn("{\"id\":\"42\"}");
        Socket b = signedIn("{\"id\":\"42\"}");
        Socket other = signedIn("{\"id\":\"43\"}");
        // Joined presence as 42 without signing in: not terminated (§5.11).
        Socket presenceOnly = f.connect();
        presenceOnly.subscribePresence("presence-x", "42");
        Reply r = f.post("/users/42/terminate_connections", "{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.closedWith != null && b.closedWith != null);
        assertThat(a.closedWith).isEqualTo(CloseCode.UNAUTHORIZED);
        f.drain();
        assertThat(other.closedWith).isNull();
        assertThat(presenceOnly.closedWith).isNull();
    }

    @Test
    void terminateUnknownUserIsANoOp200() {
        Reply r = f.post("/users/nobody/terminate_connections", "{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
    }

    @Test
    void terminateDecodesThePathUserId() {
        Socket a = signedIn("{\"id\":\"jo@example.com\"}");
        // Node signs the unencoded path; its HTTP client sends it encoded.
        ApiRequest req = f.signer.sign(SdkSigner.Style.NODE, f.nowSeconds(), "POST",
                "/apps/app-id/users/jo@example.com/terminate_connections",
                "/apps/app-id/users/jo%40example.com/terminate_connections", Map.of(), "{}");
        assertThat(f.send(req).status()).isEqualTo(200);
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.closedWith != null);
    }

    // ------------------------------------------------------------------ get

    @Test
    void getUserReturnsTheSnapshot() {
        String userData = "{\"id\":\"42\",\"user_info\":{\"name\":\"Ann\"},\"watchlist\":[\"7\",\"8\"]}";
        Socket a = signedIn(userData);
        signedIn(userData);
        a.subscribe("news");
        f.drain();
        Reply r = f.get("/users/42");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asText()).isEqualTo("42");
        assertThat(r.json().get("online").asBoolean()).isTrue();
        assertThat(r.json().get("connections").asInt()).isEqualTo(2);
        assertThat(r.json().get("user_info").toString()).isEqualTo(j("{'name':'Ann'}"));
        assertThat(r.json().get("watchlist").toString()).isEqualTo(j("['7','8']"));
        assertThat(r.json().get("channels").toString()).contains("news");
        assertThat(r.json().fieldNames()).toIterable()
                .containsExactly("id", "online", "connections", "user_info", "watchlist", "channels", "inbox",
                        "banned_until_ms");
        assertThat(r.json().get("banned_until_ms").isNull()).isTrue();
    }

    @Test
    void getUnknownUserIs404() {
        Reply r = f.get("/users/nobody");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo(j("{'error':'Unknown user'}"));
    }

    @Test
    void userWithoutInfoHasNullUserInfo() {
        signedIn("{\"id\":\"5\"}");
        assertThat(f.get("/users/5").json().get("user_info").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ list

    @Test
    void listPagesThroughOnlineUsers() {
        for (String id : new String[] {"a", "b", "c"}) {
            signedIn("{\"id\":\"" + id + "\"}");
        }
        Reply first = f.get("/users", Map.of("limit", "2"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().toString()).isEqualTo(j("{'users':[{'id':'a'},{'id':'b'}],'total':3,'next_cursor':'b'}"));
        Reply second = f.get("/users", Map.of("limit", "2", "cursor", "b"));
        assertThat(second.json().toString()).isEqualTo(j("{'users':[{'id':'c'}],'total':3,'next_cursor':null}"));
        assertThat(f.get("/users").json().get("users")).hasSize(3);
    }

    @Test
    void listLimitValidation() {
        assertThat(f.get("/users", Map.of("limit", "0")).status()).isEqualTo(400);
        assertThat(f.get("/users", Map.of("limit", "ten")).status()).isEqualTo(400);
        assertThat(f.get("/users", Map.of("limit", "1000000")).status()).isEqualTo(200);
        assertThat(ListUsersEndpoint.limit("1000000")).isEqualTo(ListUsersEndpoint.MAX_LIMIT);
        assertThat(ListUsersEndpoint.limit(null)).isEqualTo(ListUsersEndpoint.DEFAULT_LIMIT);
        assertThat(f.get("/users").json().toString()).isEqualTo(j("{'users':[],'total':0,'next_cursor':null}"));
    }

    // ------------------------------------------------------------------ put

    @Test
    void putReplacesUserInfo() {
        signedIn("{\"id\":\"42\",\"user_info\":{\"name\":\"Ann\"}}");
        Reply r = f.request("PUT", "/users/42", j("{'user_info':{'name':'Bea','age':3}}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("user_info").toString()).isEqualTo(j("{'name':'Bea','age':3}"));
        assertThat(f.get("/users/42").json().get("user_info").toString()).isEqualTo(j("{'name':'Bea','age':3}"));
    }

    @Test
    void putErrors() {
        signedIn("{\"id\":\"42\"}");
        assertThat(f.request("PUT", "/users/nobody", j("{'user_info':{}}")).status()).isEqualTo(404);
        assertThat(f.request("PUT", "/users/42", j("{'name':'x'}")).status()).isEqualTo(400);
        assertThat(f.request("PUT", "/users/42", j("{'user_info':null}")).status()).isEqualTo(400);
        assertThat(f.request("PUT", "/users/42", "nope").status()).isEqualTo(400);
        assertThat(f.request("PUT", "/users/42", "").status()).isEqualTo(400);
        String big = "x".repeat(f.app.maxPresenceUserInfoBytes());
        Reply tooBig = f.request("PUT", "/users/42", j("{'user_info':{'s':'" + big + "'}}"));
        assertThat(tooBig.status()).isEqualTo(413);
    }

    // ------------------------------------------------------------------ delete

    @Test
    void deleteErasesAndReports() {
        signedIn("{\"id\":\"w\",\"watchlist\":[\"42\"]}");
        Socket a = signedIn("{\"id\":\"42\",\"user_info\":{\"n\":1},\"watchlist\":[\"x\",\"y\"]}");
        a.subscribePresence("presence-room", "42");
        a.awaitFrame("pusher_internal:subscription_succeeded");
        Reply r = f.request("DELETE", "/users/42", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(j("{'erased':{'id':'42','connections_closed':1,"
                + "'presence_channels_left':['presence-room'],'user_info':true,'watchlist_entries':2,'watcher_entries':1,'inbox_events':0}}"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.closedWith != null);
        assertThat(f.get("/users/42").status()).isEqualTo(404);
        assertThat(f.request("DELETE", "/users/42", null).status()).isEqualTo(404);
    }
}
