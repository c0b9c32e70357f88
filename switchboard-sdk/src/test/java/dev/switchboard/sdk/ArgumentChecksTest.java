package dev.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad arguments fail before anything is sent; the client here points at nothing, so any request would fail. */
class ArgumentChecksTest {
    private final SwitchboardClient client = SwitchboardClient.builder()
            .appId("1").key("key").secret("secret").host("127.0.0.1").port(9).build();

    private void rejected(Runnable call, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(messagePart);
    }

    @Test
    void channelNames() {
        rejected(() -> client.trigger("bad channel", "e", "d"), "Invalid channel name");
        rejected(() -> client.trigger("a#b", "e", "d"), "Invalid channel name");
        rejected(() -> client.trigger("#other-internal", "e", "d"), "Invalid channel name");
        rejected(() -> client.trigger("x".repeat(201), "e", "d"), "too long");
        rejected(() -> client.trigger("", "e", "d"), "missing");
        rejected(() -> client.trigger(List.of(), "e", "d"), "At least one channel");
        List<String> many = new ArrayList<>(Collections.nCopies(101, "c"));
        rejected(() -> client.trigger(many, "e", "d"), "Too many channels");
        rejected(() -> client.trigger(List.of("private-encrypted-a", "b"), "e", "d"), "private-encrypted-");
        rejected(() -> client.channel("no spaces"), "Invalid channel name");
        rejected(() -> client.presenceUsers("private-x"), "Not a presence channel");
        assertThatCode(() -> Checks.channel("x".repeat(200))).doesNotThrowAnyException();
        assertThatCode(() -> Checks.channel("-_=@,.;AZaz09")).doesNotThrowAnyException();
        assertThatCode(() -> Checks.channel("#server-to-user-42")).doesNotThrowAnyException();
    }

    @Test
    void eventNamesAndData() {
        rejected(() -> client.trigger("c", "e".repeat(201), "d"), "Event name too long");
        rejected(() -> client.trigger("c", "", "d"), "Event name");
        rejected(() -> client.trigger("c", "e", null), "event data");
        rejected(() -> client.trigger("c", "e", "x".repeat(10 * 1024 + 1)), "Event data too large");
        rejected(() -> client.trigger("c", "e", "é".repeat(5 * 1024 + 1)), "Event data too large"); // UTF-8 bytes
        rejected(() -> client.triggerBatch(List.of()), "at least one event");
        rejected(() -> client.triggerBatch(List.of(BatchEvent.of("c", "e", "x".repeat(20_000)))), "too large");
        rejected(() -> BatchEvent.of("bad name", "e", "d"), "Invalid channel name");
    }

    @Test
    void dataLimitIsConfigurable() {
        SwitchboardClient small = SwitchboardClient.builder()
                .appId("1").key("key").secret("secret").host("127.0.0.1").port(9).maxEventDataBytes(10).build();
        rejected(() -> small.trigger("c", "e", "12345678901"), "at most 10");
    }

    @Test
    void socketIds() {
        rejected(() -> client.trigger("c", "e", "d", TriggerOptions.excluding("123")), "Invalid socket id");
        rejected(() -> TriggerOptions.excluding("1.2.3"), "Invalid socket id");
        rejected(() -> TriggerOptions.excluding("a.b"), "Invalid socket id");
        rejected(() -> BatchEvent.of("c", "e", "d").excluding("x"), "Invalid socket id");
        assertThatCode(() -> TriggerOptions.excluding("123.456")).doesNotThrowAnyException();
    }

    @Test
    void userIds() {
        rejected(() -> client.sendToUser("", "e", "d"), "Invalid user id");
        rejected(() -> client.sendToUser("a b", "e", "d"), "Invalid user id");
        rejected(() -> client.terminateUserConnections("a/b"), "Invalid user id");
        rejected(() -> client.getUser("x".repeat(201)), "Invalid user id");
        rejected(() -> client.updateUser("ü", "{}"), "Invalid user id");
        rejected(() -> client.deleteUser(null), "user id");
        rejected(() -> client.listUsers(null, 0), "limit");
        rejected(() -> client.sendToUser("1", "e".repeat(201), "d"), "Event name too long");
    }

    @Test
    void builder() {
        rejected(() -> SwitchboardClient.builder().key("k").secret("s").host("h").build(), "appId");
        rejected(() -> SwitchboardClient.builder().appId("1").key("k").host("h").build(), "secret");
        rejected(() -> SwitchboardClient.builder().appId("1").key("k").secret("s").build(), "host");
        rejected(() -> SwitchboardClient.builder().appId("1").key("k").secret("s").host("http://h").build(), "host");
        rejected(() -> SwitchboardClient.builder().appId("1").key("k").secret("s").host("h").port(0).build(), "port");
        rejected(() -> SwitchboardClient.builder().encryptionMasterKeyBase64("AAAA"), "32 bytes");
        rejected(() -> SwitchboardClient.builder().encryptionMasterKeyBase64("not base64!"), "not valid base64");
    }
}
