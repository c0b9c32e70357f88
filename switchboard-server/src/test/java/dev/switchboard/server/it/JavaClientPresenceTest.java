package dev.switchboard.server.it;

import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.User;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence channels with the Java client: roster, member events per user id (PROTOCOL.md §2.4, §2.7, §3.2). */
class JavaClientPresenceTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    private static PresenceUser member(String id, String name) {
        return new PresenceUser(id, Map.of("name", name));
    }

    private JavaClient connectedAs(String id, String name) {
        return server.client(member(id, name)).connect();
    }

    @Test
    void rosterListsTheSubscriberItselfWithItsInfo() {
        String channel = uniqueChannel("presence-room");
        JavaClient ann = connectedAs("7", "Ann");

        EventLog log = ann.subscribePresence(channel);

        assertThat(log.initialMemberIds()).containsExactly("7");
        PresenceChannel presence = ann.pusher().getPresenceChannel(channel);
        assertThat(presence.getMe()).isNotNull();
        assertThat(presence.getMe().getId()).isEqualTo("7");
        assertThat(Json.parse(presence.getMe().getInfo()).get("name").textValue()).isEqualTo("Ann");
    }

    @Test
    void aJoiningMemberIsAnnouncedToOthersAndSeesEveryone() {
        String channel = uniqueChannel("presence-room");
        EventLog annLog = connectedAs("7", "Ann").subscribePresence(channel);

        EventLog boLog = connectedAs("9", "Bo").subscribePresence(channel);

        assertThat(boLog.initialMemberIds()).containsExactlyInAnyOrder("7", "9");
        eventually().until(() -> annLog.joinedIds().contains("9"));
        User bo = annLog.joined().get(0);
        assertThat(Json.parse(bo.getInfo()).get("name").textValue()).isEqualTo("Bo");
        // Nobody is told about their own arrival.
        assertThat(boLog.joinedIds()).isEmpty();
    }

    @Test
    void aLeavingMemberIsAnnouncedWhenItDisconnects() {
        String channel = uniqueChannel("presence-room");
        EventLog annLog = connectedAs("7", "Ann").subscribePresence(channel);
        JavaClient bo = connectedAs("9", "Bo");
        bo.subscribePresence(channel);
        eventually().until(() -> annLog.joinedIds().contains("9"));

        bo.close();

        eventually().until(() -> annLog.leftIds().contains("9"));
        assertThat(server.http().get("/channels/" + channel + "/users").getMessage()).doesNotContain("\"9\"");
    }

    @Test
    void aLeavingMemberIsAnnouncedWhenItUnsubscribes() {
        String channel = uniqueChannel("presence-room");
        EventLog annLog = connectedAs("7", "Ann").subscribePresence(channel);
        JavaClient bo = connectedAs("9", "Bo");
        bo.subscribePresence(channel);
        eventually().until(() -> annLog.joinedIds().contains("9"));

        bo.pusher().unsubscribe(channel);

        eventually().until(() -> annLog.leftIds().contains("9"));
    }

    @Test
    void twoConnectionsOfOneUserAreOneMember() {
        String channel = uniqueChannel("presence-room");
        EventLog watcher = connectedAs("1", "Watcher").subscribePresence(channel, "marker");
        JavaClient first = connectedAs("7", "Ann");
        first.subscribePresence(channel);
        eventually().until(() -> watcher.joinedIds().contains("7"));

        JavaClient second = connectedAs("7", "Ann");
        EventLog secondLog = second.subscribePresence(channel);

        assertThat(secondLog.initialMemberIds()).containsExactlyInAnyOrder("1", "7");
        assertThat(users(channel)).containsExactlyInAnyOrder("1", "7");
        second.close();
        // Both the second join and its leave must stay silent; a marker event triggered afterwards bounds the wait.
        server.http().trigger(channel, "marker", Map.of("n", 1));
        watcher.awaitEvent("marker");
        assertThat(watcher.joinedIds()).containsExactly("7");
        assertThat(watcher.leftIds()).isEmpty();

        first.close();
        eventually().until(() -> watcher.leftIds().contains("7"));
        assertThat(users(channel)).containsExactly("1");
    }

    @Test
    void numericUserIdsBecomeStrings() {
        String channel = uniqueChannel("presence-numbers");
        EventLog watcher = connectedAs("1", "Watcher").subscribePresence(channel);

        // pusher-http-java's PresenceUser(Number) puts "user_id":10 (a JSON number) into channel_data.
        server.client(new PresenceUser(10, Map.of("name", "Ten"))).connect().subscribePresence(channel);

        eventually().until(() -> watcher.joinedIds().contains("10"));
        assertThat(users(channel)).containsExactlyInAnyOrder("1", "10");
    }

    @Test
    void memberWithoutInfoIsListedWithNullInfo() {
        String channel = uniqueChannel("presence-bare");
        JavaClient bare = server.client(new PresenceUser("5")).connect();

        EventLog log = bare.subscribePresence(channel);

        assertThat(log.initialMemberIds()).containsExactly("5");
        assertThat(bare.pusher().getPresenceChannel(channel).getMe().getId()).isEqualTo("5");
    }

    private java.util.List<String> users(String channel) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        Json.body(server.http().get("/channels/" + channel + "/users")).get("users").forEach(u -> ids.add(u.get("id").textValue()));
        return ids;
    }
}
