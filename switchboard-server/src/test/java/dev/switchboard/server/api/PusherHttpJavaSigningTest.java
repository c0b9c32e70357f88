package dev.switchboard.server.api;

import static dev.switchboard.server.api.ApiFixture.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.SignatureUtil;
import dev.switchboard.server.api.ApiFixture.Reply;
import dev.switchboard.server.api.ApiFixture.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests signed by the official pusher-http-java 1.3.4 signer ({@link SignatureUtil#uri}, what its
 * {@code trigger}/{@code get}/{@code post} use), handed straight to the handler: no network.
 */
class PusherHttpJavaSigningTest {
    ApiFixture f = new ApiFixture();

    @BeforeEach
    void realTime() {
        // SignatureUtil stamps the current time.
        f.millis.set(System.currentTimeMillis());
    }

    @AfterEach
    void close() {
        f.close();
    }

    Reply send(String method, String path, String body, Map<String, String> params) {
        URI uri = SignatureUtil.uri(method, "http", "localhost:6001", "/apps/" + f.app.id() + path, body,
                f.app.key(), f.app.secret(), params);
        String target = uri.getRawPath() + "?" + uri.getRawQuery();
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return f.send(new ApiRequest(method, target, bytes));
    }

    @Test
    void triggerAsTheJavaLibrarySignsIt() {
        Socket s = f.connect();
        s.subscribe("java-channel");
        // TriggerData's field order and null omission.
        Reply r = send("POST", "/events", j("{'channels':['java-channel'],'name':'ev','data':'{\\'k\\':1}'}"), Map.of());
        assertThat(r.status()).isEqualTo(200);
        s.awaitFrame("\"event\":\"ev\"");
    }

    @Test
    void getWithCommaInInfoIsPercentEncodedAndStillVerifies() {
        Socket s = f.connect();
        s.subscribePresence("presence-j", "1");
        f.drain();
        Reply r = send("GET", "/channels/presence-j", null, Map.of("info", "user_count,subscription_count"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(j("{'occupied':true,'user_count':1,'subscription_count':1}"));
        Reply list = send("GET", "/channels", null, Map.of("filter_by_prefix", "presence-", "info", "user_count"));
        assertThat(list.json().toString()).isEqualTo(j("{'channels':{'presence-j':{'user_count':1}}}"));
    }

    @Test
    void rawPostsForSendToUserAndTerminate() {
        Socket s = f.connect();
        s.signin("{\"id\":\"42\"}");
        s.awaitFrame("pusher:signin_success");
        assertThat(send("POST", "/events", j("{'name':'n','data':'x','channels':['#server-to-user-42']}"), Map.of())
                .status()).isEqualTo(200);
        s.awaitFrame("\"channel\":\"#server-to-user-42\"");
        assertThat(send("POST", "/users/42/terminate_connections", "{}", Map.of()).status()).isEqualTo(200);
        org.awaitility.Awaitility.await().until(() -> s.closedWith != null);
    }

    @Test
    void userDataApiReads() {
        Socket s = f.connect();
        s.signin("{\"id\":\"42\",\"user_info\":{\"a\":1}}");
        s.awaitFrame("pusher:signin_success");
        Reply r = send("GET", "/users/42", null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("user_info").toString()).isEqualTo(j("{'a':1}"));
        assertThat(send("GET", "/users", null, Map.of("limit", "10")).json().get("total").asInt()).isEqualTo(1);
    }
}
