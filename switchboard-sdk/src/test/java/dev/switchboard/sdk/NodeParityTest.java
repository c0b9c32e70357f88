package dev.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Byte-for-byte parity with pusher-http-node 5.3.4, the official SDK: its auth answers and the exact HTTP
 * requests (method, path, query with signature, body) it sends with the clock fixed, captured in
 * src/test/resources/node/pusher-node-fixture.json by make-fixture.cjs beside it.
 */
class NodeParityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode fixture;
    private static FakeServer server;
    private static SwitchboardClient client;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = NodeParityTest.class.getResourceAsStream("/node/pusher-node-fixture.json")) {
            fixture = MAPPER.readTree(in);
        }
        server = new FakeServer("278d425bdf160c739803", "7ad3773142a6692b25b8");
        client = SwitchboardClient.builder().appId("3").key(server.key).secret(server.secret)
                .host("127.0.0.1").port(server.port()).clock(RequestSignerTest.CLOCK)
                .encryptionMasterKeyBase64("zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=").build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void authAnswersAreByteIdentical() throws Exception {
        int checked = 0;
        for (JsonNode a : fixture.get("auth")) {
            String expected = MAPPER.writeValueAsString(a.get("output"));
            String socketId = a.get("socketId").textValue();
            JsonNode input = a.get("input");
            String actual;
            if (a.get("call").textValue().equals("authenticateUser")) {
                List<String> watchlist = null;
                if (input.has("watchlist")) {
                    watchlist = new ArrayList<>();
                    for (JsonNode id : input.get("watchlist")) {
                        watchlist.add(id.textValue());
                    }
                }
                actual = client.authenticateUser(socketId,
                        new UserData(input.get("id").textValue(), input.get("user_info"), watchlist));
            } else if (input.isNull()) {
                actual = client.authorizeChannel(socketId, a.get("channel").textValue());
            } else {
                actual = client.authorizeChannel(socketId, a.get("channel").textValue(),
                        new PresenceData(input.get("user_id").textValue(), input.get("user_info")));
            }
            assertThat(actual).as(a.toString()).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(5);
    }

    @Test
    void requestsAreByteIdentical() {
        int checked = 0;
        for (JsonNode r : fixture.get("requests")) {
            String call = r.get("call").textValue();
            switch (call) {
                case "trigger":
                    client.trigger("project-3", "foo", Map.of("some", "data"));
                    break;
                case "triggerString":
                    client.trigger(List.of("a", "b"), "foo", "plain text",
                            TriggerOptions.excluding("1.2").withInfo("subscription_count"));
                    break;
                case "triggerBatch":
                    client.triggerBatch(List.of(BatchEvent.of("a", "e1", Map.of("x", 1)),
                            BatchEvent.of("presence-b", "e2", "s").withInfo("user_count")));
                    break;
                case "sendToUser":
                    client.sendToUser("user-42", "hello", Map.of("a", "b"));
                    break;
                case "terminateUserConnections":
                    client.terminateUserConnections("user-42");
                    break;
                case "channels":
                    client.channels("presence-", "user_count");
                    break;
                case "channel":
                    client.channel("presence-foobar", "user_count", "subscription_count");
                    break;
                case "presenceUsers":
                    client.presenceUsers("presence-foobar");
                    break;
                default:
                    throw new AssertionError("fixture has a call this test does not know: " + call);
            }
            FakeServer.Request sent = server.last();
            JsonNode node = r.get("http");
            assertThat(sent.method()).as(call).isEqualTo(node.get("method").textValue());
            assertThat(sent.rawPath() + "?" + sent.rawQuery()).as(call).isEqualTo(node.get("url").textValue());
            assertThat(sent.body()).as(call).isEqualTo(node.get("body").textValue());
            assertThat(sent.signatureValid()).as(call).isTrue();
            checked++;
        }
        assertThat(checked).isEqualTo(8);
    }
}
