package dev.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.protocol.Signatures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The auth endpoint answers, checked against the vectors of PROTOCOL.md §3.5. */
class AuthorizerTest {
    private static final String KEY = "278d425bdf160c739803";
    private static final String SECRET = "7ad3773142a6692b25b8";
    private static final String MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

    private static SwitchboardClient client(String key, String secret) {
        return SwitchboardClient.builder().appId("3").key(key).secret(secret).host("localhost")
                .encryptionMasterKeyBase64(MASTER_KEY).build();
    }

    @Test
    void privateChannelMatchesTheNodeSdkVector() {
        assertThat(client("f00d", "tofu").authorizeChannel("123.456", "test"))
                .isEqualTo("{\"auth\":\"f00d:efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c\"}");
        assertThat(client(KEY, SECRET).authorizeChannel("1234.1234", "private-foobar"))
                .isEqualTo("{\"auth\":\"" + KEY + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4\"}");
    }

    @Test
    void userAuthenticationMatchesTheVectors() {
        assertThat(client("f00d", "tofu").authenticateUser("123.456", UserData.of("45678")))
                .isEqualTo("{\"auth\":\"f00d:f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd\","
                        + "\"user_data\":\"{\\\"id\\\":\\\"45678\\\"}\"}");
        assertThat(client(KEY, SECRET).authenticateUser("1234.1234", UserData.of("12345")))
                .isEqualTo("{\"auth\":\"" + KEY + ":4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba\","
                        + "\"user_data\":\"{\\\"id\\\":\\\"12345\\\"}\"}");
    }

    @Test
    void presenceVectorWithANumericUserIdInTheRawChannelData() {
        // The §3.5 vector uses a numeric user_id; PresenceData always sends ids as strings, so check the
        // presence string-to-sign path with the vector's exact channel_data text.
        String channelData = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
        assertThat(Signatures.hmacSha256Hex(SECRET, Signatures.presenceString("1234.1234", "presence-foobar", channelData)))
                .isEqualTo("31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80");
    }

    @Test
    void presenceAnswerCarriesTheExactSignedChannelData() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "Mr. Channels");
        String answer = client(KEY, SECRET).authorizeChannel("1234.1234", "presence-foobar", new PresenceData("10", info));
        String channelData = "{\"user_id\":\"10\",\"user_info\":{\"name\":\"Mr. Channels\"}}";
        String sig = Signatures.hmacSha256Hex(SECRET, "1234.1234:presence-foobar:" + channelData);
        assertThat(answer).isEqualTo("{\"channel_data\":" + Json.write(channelData) + ",\"auth\":\"" + KEY + ":"
                + sig + "\"}");
        assertThat(Json.parse(answer).get("channel_data").textValue()).isEqualTo(channelData);
    }

    @Test
    void presenceWithoutDataIsSignedAsPrivateForSignInBasedMembership() {
        String answer = client(KEY, SECRET).authorizeChannel("1234.1234", "presence-foobar");
        assertThat(answer).isEqualTo("{\"auth\":\"" + KEY + ":"
                + Signatures.hmacSha256Hex(SECRET, "1234.1234:presence-foobar") + "\"}");
    }

    @Test
    void encryptedChannelAddsThePaddedSharedSecret() {
        String answer = client(KEY, SECRET).authorizeChannel("1234.1234", "private-encrypted-bla");
        assertThat(Json.parse(answer).get("shared_secret").textValue())
                .isEqualTo("nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=");
        assertThat(Json.parse(answer).get("auth").textValue())
                .isEqualTo(KEY + ":" + Signatures.hmacSha256Hex(SECRET, "1234.1234:private-encrypted-bla"));
        assertThat(client(KEY, SECRET).sharedSecret("private-encrypted-bla"))
                .isEqualTo("nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=");
    }

    @Test
    void encryptedChannelWithoutMasterKeyIsRefused() {
        SwitchboardClient plain = SwitchboardClient.builder().appId("3").key(KEY).secret(SECRET).host("h").build();
        assertThatThrownBy(() -> plain.authorizeChannel("1.1", "private-encrypted-x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("encryptionMasterKeyBase64");
    }

    @Test
    void userDataKeepsFieldOrderLikeJsonStringify() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "Ann");
        info.put("age", 30);
        UserData user = UserData.of("12345").withUserInfo(info).withWatchlist(List.of("2", "3"));
        String answer = client(KEY, SECRET).authenticateUser("1234.1234", user);
        String userData = "{\"id\":\"12345\",\"user_info\":{\"name\":\"Ann\",\"age\":30},\"watchlist\":[\"2\",\"3\"]}";
        assertThat(Json.parse(answer).get("user_data").textValue()).isEqualTo(userData);
        assertThat(Json.parse(answer).get("auth").textValue())
                .isEqualTo(KEY + ":" + Signatures.hmacSha256Hex(SECRET, "1234.1234::user::" + userData));
    }

    @Test
    void authArgumentsAreChecked() {
        SwitchboardClient c = client(KEY, SECRET);
        assertThatThrownBy(() -> c.authorizeChannel("abc", "private-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socket id");
        assertThatThrownBy(() -> c.authorizeChannel("1.1", "private-x", PresenceData.of("1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a presence channel");
        assertThatThrownBy(() -> c.authorizeChannel("1.1", "#server-to-user-1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.authenticateUser("1.1", UserData.of("bad id")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user id");
        assertThatThrownBy(() -> UserData.of("1").withWatchlist(List.of("ok", "not ok")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
