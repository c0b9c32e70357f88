package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client events between two Java clients (PROTOCOL.md §4). */
class JavaClientClientEventsTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    @Test
    void clientEventReachesTheOtherSubscriberButIsNotEchoed() {
        String channel = uniqueChannel("private-chat");
        JavaClient sender = server.connectedClient();
        EventLog senderLog = sender.subscribePrivate(channel, "client-typing", "marker");
        EventLog receiverLog = server.connectedClient().subscribePrivate(channel, "client-typing", "marker");

        sender.pusher().getPrivateChannel(channel).trigger("client-typing", "{\"chars\":3}");

        PusherEvent event = receiverLog.awaitEvent("client-typing");
        assertThat(Json.parse(event.getData()).get("chars").intValue()).isEqualTo(3);
        assertThat(event.getChannelName()).isEqualTo(channel);
        assertThat(event.getUserId()).isNull();
        // The marker goes out after the receiver got the client event; an echo would have been queued before it.
        server.http().trigger(channel, "marker", Map.of());
        senderLog.awaitEvent("marker");
        assertThat(senderLog.named("client-typing")).isEmpty();
        assertThat(sender.errors()).isEmpty();
    }

    @Test
    void clientEventDataArrivesUnchanged() {
        String channel = uniqueChannel("private-data");
        JavaClient sender = server.connectedClient();
        sender.subscribePrivate(channel);
        EventLog receiverLog = server.connectedClient().subscribePrivate(channel, "client-blob");
        String data = "{\"text\":\"Zoë ☃ \\\"quoted\\\"\",\"list\":[1,2,3],\"none\":null}";

        sender.pusher().getPrivateChannel(channel).trigger("client-blob", data);

        assertThat(Json.parse(receiverLog.awaitEvent("client-blob").getData())).isEqualTo(Json.parse(data));
    }

    @Test
    void clientEventOnPresenceCarriesTheSendersUserId() {
        String channel = uniqueChannel("presence-chat");
        JavaClient ann = server.client(new PresenceUser("7", Map.of("name", "Ann"))).connect();
        ann.subscribePresence(channel);
        EventLog boLog = server.client(new PresenceUser("9", Map.of("name", "Bo"))).connect()
                .subscribePresence(channel, "client-wave");

        ann.pusher().getPresenceChannel(channel).trigger("client-wave", "{\"hand\":\"left\"}");

        PusherEvent event = boLog.awaitEvent("client-wave");
        assertThat(event.getUserId()).isEqualTo("7");
        assertThat(Json.parse(event.getData()).get("hand").textValue()).isEqualTo("left");
    }

    @Test
    void clientEventsOverTheRateLimitAreRejectedWith4301AndTheConnectionStays() {
        String channel = uniqueChannel("private-flood");
        JavaClient sender = server.connectedClient();
        sender.subscribePrivate(channel);
        EventLog receiverLog = server.connectedClient().subscribePrivate(channel, "client-flood");

        // 10 per second are allowed (PROTOCOL.md §4.6); 25 in a burst overflow even a window boundary.
        for (int i = 0; i < 25; i++) {
            sender.pusher().getPrivateChannel(channel).trigger("client-flood", "{\"i\":" + i + "}");
        }

        eventually().until(() -> sender.errors().stream().anyMatch(e -> "4301".equals(e.code())));
        eventually().until(() -> !receiverLog.named("client-flood").isEmpty());
        assertThat(receiverLog.named("client-flood").size()).isLessThanOrEqualTo(20);
        assertThat(sender.state()).isEqualTo(ConnectionState.CONNECTED);
    }
}
