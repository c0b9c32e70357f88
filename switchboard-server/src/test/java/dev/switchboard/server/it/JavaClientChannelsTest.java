package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Public, private and cache channels with the Java client, events triggered through pusher-http-java
 * (PROTOCOL.md §2, §3.1, §6.3).
 */
class JavaClientChannelsTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    @Test
    void publicChannelReceivesAnEventTriggeredThroughTheHttpSdk() {
        String channel = uniqueChannel("news");
        EventLog log = server.connectedClient().subscribe(channel, "story");

        Result result = server.http().trigger(channel, "story", Map.of("headline", "Zoë ☃ wins"));

        assertThat(result.getStatus()).isEqualTo(Result.Status.SUCCESS);
        PusherEvent event = log.awaitEvent("story");
        assertThat(event.getChannelName()).isEqualTo(channel);
        assertThat(Json.parse(event.getData()).get("headline").textValue()).isEqualTo("Zoë ☃ wins");
    }

    @Test
    void eventDataStringReachesTheClientExactlyAsTriggered() {
        String channel = uniqueChannel("raw");
        EventLog log = server.connectedClient().subscribe(channel, "e");
        String data = "{\"nested\":{\"list\":[1,2.5,null,\"x\"]},\"quote\":\"\\\"\"}";

        Result result = server.http().post("/events", Json.write(Map.of("name", "e", "channels", List.of(channel), "data", data)));

        assertThat(result.getStatus()).isEqualTo(Result.Status.SUCCESS);
        assertThat(log.awaitEvent("e").getData()).isEqualTo(data);
    }

    @Test
    void oneTriggerReachesEverySubscriberOfEveryListedChannel() {
        String first = uniqueChannel("multi");
        String second = uniqueChannel("multi");
        EventLog a = server.connectedClient().subscribe(first, "ping");
        EventLog b = server.connectedClient().subscribe(first, "ping");
        EventLog c = server.connectedClient().subscribe(second, "ping");

        assertThat(server.http().trigger(List.of(first, second), "ping", Map.of("n", 1)).getStatus())
                .isEqualTo(Result.Status.SUCCESS);

        eventually().until(() -> a.named("ping").size() == 1 && b.named("ping").size() == 1 && c.named("ping").size() == 1);
    }

    @Test
    void batchTriggerDeliversEachEventToItsChannel() {
        String first = uniqueChannel("batch");
        String second = uniqueChannel("private-batch");
        EventLog a = server.connectedClient().subscribe(first, "e");
        EventLog b = server.connectedClient().subscribePrivate(second, "e");

        Result result = server.http().trigger(List.of(new Event(first, "e", Map.of("n", 1)), new Event(second, "e", Map.of("n", 2))));

        assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
        assertThat(Json.parse(a.awaitEvent("e").getData()).get("n").intValue()).isEqualTo(1);
        assertThat(Json.parse(b.awaitEvent("e").getData()).get("n").intValue()).isEqualTo(2);
    }

    @Test
    void encryptedChannelRelaysTheSdksCiphertextSoTheClientCanDecryptIt() {
        // The server never sees the master key: it must pass the {nonce, ciphertext} string through untouched.
        String channel = uniqueChannel("private-encrypted-vault");
        EventLog log = server.connectedClient().subscribePrivateEncrypted(channel, "secret");

        Result result = server.http().trigger(channel, "secret", Map.of("pin", "1234 Zoë"));

        assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
        assertThat(Json.parse(log.awaitEvent("secret").getData()).get("pin").textValue()).isEqualTo("1234 Zoë");
        assertThat(log.decryptionFailures()).isEmpty();
    }

    @Test
    void privateChannelAuthorizedByTheHttpSdkReceivesEvents() {
        String channel = uniqueChannel("private-orders");
        EventLog log = server.connectedClient().subscribePrivate(channel, "created");

        assertThat(server.http().trigger(channel, "created", Map.of("id", 42)).getStatus()).isEqualTo(Result.Status.SUCCESS);

        assertThat(Json.parse(log.awaitEvent("created").getData()).get("id").intValue()).isEqualTo(42);
    }

    @Test
    void triggerWithSocketIdSkipsOnlyThatConnection() {
        String channel = uniqueChannel("excl");
        JavaClient sender = server.connectedClient();
        EventLog senderLog = sender.subscribe(channel, "update", "marker");
        EventLog otherLog = server.connectedClient().subscribe(channel, "update", "marker");
        Pusher http = server.http();

        assertThat(http.trigger(channel, "update", Map.of("v", 1), sender.socketId()).getStatus())
                .isEqualTo(Result.Status.SUCCESS);
        otherLog.awaitEvent("update");
        http.trigger(channel, "marker", Map.of("v", 2));

        // The marker was triggered after the excluded event; once it is in, the excluded one would be too.
        senderLog.awaitEvent("marker");
        assertThat(senderLog.named("update")).isEmpty();
    }

    @Test
    void cacheChannelReplaysTheLastTriggeredEventToALateSubscriber() {
        String channel = uniqueChannel("cache-scores");
        Pusher http = server.http();
        http.trigger(channel, "score", Map.of("goals", 1));
        http.trigger(channel, "score", Map.of("goals", 2));

        EventLog log = server.connectedClient().subscribe(channel, "score", "pusher:cache_miss");

        assertThat(Json.parse(log.awaitEvent("score").getData()).get("goals").intValue()).isEqualTo(2);
        throughoutQuietPeriod().until(() -> log.named("score").size() == 1);
        assertThat(log.named("pusher:cache_miss")).isEmpty();
    }

    @Test
    void emptyCacheChannelAnswersWithCacheMiss() {
        String channel = uniqueChannel("cache-empty");

        EventLog log = server.connectedClient().subscribe(channel, "pusher:cache_miss");

        assertThat(log.awaitEvent("pusher:cache_miss").getChannelName()).isEqualTo(channel);
    }

    @Test
    void privateCacheChannelReplaysToAnAuthorizedSubscriber() {
        String channel = uniqueChannel("private-cache-state");
        server.http().trigger(channel, "state", Map.of("on", true));

        EventLog log = server.connectedClient().subscribePrivate(channel, "state");

        assertThat(Json.parse(log.awaitEvent("state").getData()).get("on").booleanValue()).isTrue();
    }

    @Test
    void wrongSubscriptionSignatureIsReportedAndTheConnectionStays() {
        String channel = uniqueChannel("private-secret");
        JavaClient client = server.client(SwitchboardExtension.APP_KEY, server.auth().wrongSignature(), null,
                UnaryOperator.identity()).connect();

        EventLog log = client.subscribePrivateNoWait(channel, "x");

        eventually().until(() -> !client.errors().isEmpty());
        assertThat(client.errors()).singleElement().satisfies(e -> {
            // Pusher sends subscription problems as pusher:error with "code": null (PROTOCOL.md §2.6).
            assertThat(e.code()).isNull();
            assertThat(e.message()).isNotBlank().doesNotContain(SwitchboardExtension.APP_SECRET);
        });
        assertThat(log.subscribed()).isFalse();
        throughoutQuietPeriod().until(() -> client.state() == ConnectionState.CONNECTED);

        // The connection still works: a trigger on the refused channel does not arrive, a public one does.
        server.http().trigger(channel, "x", Map.of());
        String open = uniqueChannel("after-refusal");
        EventLog openLog = client.subscribe(open, "y");
        server.http().trigger(open, "y", Map.of());
        openLog.awaitEvent("y");
        assertThat(log.events()).isEmpty();
    }

    @Test
    void unsubscribingTheLastSubscriberVacatesTheChannel() {
        String channel = uniqueChannel("leave");
        JavaClient client = server.connectedClient();
        client.subscribe(channel, "e");
        Pusher http = server.http();
        assertThat(Json.body(http.get("/channels/" + channel)).get("occupied").booleanValue()).isTrue();

        client.pusher().unsubscribe(channel);
        // Frames on one socket are handled in order: once a later subscription succeeds, the unsubscribe is done.
        client.subscribe(uniqueChannel("barrier"));

        assertThat(Json.body(http.get("/channels/" + channel)).get("occupied").booleanValue()).isFalse();
    }
}
