package dev.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The secret and the master key never show in a toString or an exception message. */
class SecretHygieneTest {
    private static final String SECRET = "s3cr3t-value-that-must-not-leak";
    private static final String MASTER = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

    @Test
    void toStringsHideTheSecrets() throws Exception {
        SwitchboardClient.Builder builder = SwitchboardClient.builder()
                .appId("1").key("key").secret(SECRET).host("127.0.0.1").port(9).encryptionMasterKeyBase64(MASTER);
        SwitchboardClient client = builder.build();
        for (Object o : List.of(builder, client, client.async(), client.webhook(),
                new Authorizer("key", SECRET, new byte[32]),
                new RequestSigner("key", SECRET, RequestSignerTest.CLOCK))) {
            assertThat(o.toString()).doesNotContain(SECRET).doesNotContain(MASTER).doesNotContain("zyrm8");
        }
        assertThat(client.toString()).contains("secret=<hidden>", "masterKey=<hidden>");
    }

    @Test
    void failuresDoNotQuoteTheSecret() throws Exception {
        SwitchboardClient client = SwitchboardClient.builder()
                .appId("1").key("key").secret(SECRET).host("127.0.0.1").port(9).build();
        // Nothing listens on port 9: a connection failure, with the URL's query in no message.
        Throwable connect = catchThrowable(() -> client.trigger("c", "e", "d"));
        assertThat(connect).isInstanceOf(SwitchboardException.class);
        assertThat(((SwitchboardException) connect).status()).isZero();
        assertMessagesClean(connect);

        try (FakeServer server = new FakeServer("key", "another secret")) {
            SwitchboardClient wrong = SwitchboardClient.builder()
                    .appId("1").key("key").secret(SECRET).host("127.0.0.1").port(server.port()).build();
            Throwable unauthorized = catchThrowable(() -> wrong.trigger("c", "e", "d"));
            assertThat(((SwitchboardException) unauthorized).status()).isEqualTo(401);
            assertMessagesClean(unauthorized);
        }
        assertMessagesClean(catchThrowable(() -> client.trigger("bad channel", "e", "d")));
        assertMessagesClean(catchThrowable(() -> SwitchboardClient.builder().encryptionMasterKeyBase64(SECRET)));
    }

    private static void assertMessagesClean(Throwable t) {
        assertThat(t).isNotNull();
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET);
            assertThat(c.toString()).doesNotContain(SECRET);
        }
    }
}
