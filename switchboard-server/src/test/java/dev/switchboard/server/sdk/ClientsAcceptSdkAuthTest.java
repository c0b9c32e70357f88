package dev.switchboard.server.sdk;

import static dev.switchboard.server.testing.SwitchboardExtension.ENCRYPTION_MASTER_KEY;
import static dev.switchboard.server.testing.SwitchboardExtension.uniqueChannel;
import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.UserAuthenticator;
import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import dev.switchboard.sdk.PresenceData;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.sdk.UserData;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.SwitchboardExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official Java client (pusher-websocket-java 2.4.4) accepts what Switchboard's SDK returns from its auth
 * endpoints: its {@link ChannelAuthorizer} and {@link UserAuthenticator} answer with
 * {@link SwitchboardClient#authorizeChannel} / {@link SwitchboardClient#authenticateUser}, byte for byte, and
 * the events come from the same SDK (PROTOCOL.md §3, §5, §8). No pusher-http-java anywhere on the app side.
 */
class ClientsAcceptSdkAuthTest {

    @RegisterExtension
    static final SwitchboardExtension server = new SwitchboardExtension();

    private SwitchboardClient sdk;
    /** Every answer the SDK gave to a client's authorizer or authenticator, in order. */
    private final List<String> answers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void sdk() {
        sdk = SwitchboardClient.builder()
                .appId(SwitchboardExtension.APP_ID)
                .key(SwitchboardExtension.APP_KEY)
                .secret(SwitchboardExtension.APP_SECRET)
                .host("127.0.0.1")
                .port(server.port())
                .useTLS(false)
                .encryptionMasterKeyBase64(ENCRYPTION_MASTER_KEY)
                .build();
    }

    /** The app's {@code /pusher/auth}: private and encrypted channels as they are, presence as {@code member}. */
    private ChannelAuthorizer channels(PresenceData member) {
        return (channelName, socketId) -> record(channelName.startsWith("presence-")
                ? sdk.authorizeChannel(socketId, channelName, member)
                : sdk.authorizeChannel(socketId, channelName));
    }

    /** The app's {@code /pusher/user-auth}, signing in as {@code user}. */
    private UserAuthenticator user(UserData user) {
        return socketId -> record(sdk.authenticateUser(socketId, user));
    }

    private String record(String answer) {
        answers.add(answer);
        return answer;
    }

    private JavaClient connected(PresenceData member) {
        return server.client(channels(member), null).connect();
    }

    @Test
    void privateChannelAuthorizedByTheSdkReceivesTheSdksEvents() {
        String channel = uniqueChannel("private-orders");
        JavaClient client = connected(PresenceData.of("anyone"));

        EventLog log = client.subscribePrivate(channel, "created");

        assertThat(log.authFailures()).isEmpty();
        assertThat(answers).hasSize(1);
        JsonNode answer = Json.parse(answers.get(0));
        assertThat(answer.get("auth").textValue()).startsWith(SwitchboardExtension.APP_KEY + ":");
        assertThat(answer.has("channel_data")).isFalse();
        assertThat(sdk.trigger(channel, "created", Map.of("id", 42, "note", "Zoë")).status()).isEqualTo(200);
        JsonNode data = Json.parse(log.awaitEvent("created").getData());
        assertThat(data.get("id").intValue()).isEqualTo(42);
        assertThat(data.get("note").textValue()).isEqualTo("Zoë");
    }

    @Test
    void presenceMemberDataFromTheSdkMakesTheRosterIncludingSelfWithInfo() {
        String channel = uniqueChannel("presence-room");
        JavaClient ann = connected(new PresenceData("ann", Map.of("name", "Ann", "role", "admin")));

        EventLog annLog = ann.subscribePresence(channel, "announcement");

        assertThat(annLog.initialMemberIds()).containsExactly("ann");
        PresenceChannel annChannel = ann.pusher().getPresenceChannel(channel);
        User me = annChannel.getMe();
        assertThat(me).isNotNull();
        assertThat(me.getId()).isEqualTo("ann");
        JsonNode myInfo = Json.parse(me.getInfo());
        assertThat(myInfo.get("name").textValue()).isEqualTo("Ann");
        assertThat(myInfo.get("role").textValue()).isEqualTo("admin");
        // The roster's own entry carries the same info as the signed channel_data.
        User self = annLog.initialMembers().iterator().next();
        assertThat(Json.parse(self.getInfo())).isEqualTo(myInfo);

        JavaClient bo = connected(new PresenceData("bo", Map.of("name", "Bo")));
        EventLog boLog = bo.subscribePresence(channel, "announcement");

        assertThat(boLog.initialMemberIds()).containsExactlyInAnyOrder("ann", "bo");
        Map<String, String> names = boLog.initialMembers().stream()
                .collect(Collectors.toMap(User::getId, u -> Json.parse(u.getInfo()).get("name").textValue()));
        assertThat(names).isEqualTo(Map.of("ann", "Ann", "bo", "Bo"));
        assertThat(bo.pusher().getPresenceChannel(channel).getMe().getId()).isEqualTo("bo");
        eventually().until(() -> annLog.joinedIds().contains("bo"));
        assertThat(Json.parse(annLog.joined().get(0).getInfo()).get("name").textValue()).isEqualTo("Bo");
        // channel_data is the SDK's exact string, and the server took the member from it.
        assertThat(Json.parse(Json.parse(answers.get(0)).get("channel_data").textValue()).get("user_id").textValue())
                .isEqualTo("ann");
        assertThat(sdk.presenceUsers(channel).ids()).containsExactlyInAnyOrder("ann", "bo");

        assertThat(sdk.trigger(channel, "announcement", Map.of("text", "hi")).status()).isEqualTo(200);
        assertThat(Json.parse(annLog.awaitEvent("announcement").getData()).get("text").textValue()).isEqualTo("hi");
        assertThat(Json.parse(boLog.awaitEvent("announcement").getData()).get("text").textValue()).isEqualTo("hi");
    }

    @Test
    void encryptedChannelIsDecryptedWithTheSdksSharedSecret() {
        String channel = uniqueChannel("private-encrypted-vault");
        JavaClient client = connected(PresenceData.of("anyone"));
        // A bare socket on the same channel shows what travels on the wire.
        RawSocket wire = server.rawSocket();
        String wireAuth = Json.parse(sdk.authorizeChannel(wire.socketId(), channel)).get("auth").textValue();
        wire.send(Json.write(Map.of("event", "pusher:subscribe", "data", Map.of("channel", channel, "auth", wireAuth))));
        wire.awaitEvent("pusher_internal:subscription_succeeded");

        EventLog log = client.subscribePrivateEncrypted(channel, "secret");

        JsonNode answer = Json.parse(answers.get(0));
        assertThat(answer.get("shared_secret").textValue()).isEqualTo(sdk.sharedSecret(channel));
        assertThat(sdk.trigger(channel, "secret", Map.of("pin", "1234 Zoë")).status()).isEqualTo(200);
        PusherEvent event = log.awaitEvent("secret");
        assertThat(Json.parse(event.getData()).get("pin").textValue()).isEqualTo("1234 Zoë");
        assertThat(log.decryptionFailures()).isEmpty();

        JsonNode onTheWire = Json.parse(wire.awaitEvent("secret").get("data").textValue());
        assertThat(onTheWire.get("nonce").isTextual()).isTrue();
        assertThat(onTheWire.get("ciphertext").isTextual()).isTrue();
        assertThat(onTheWire.toString()).doesNotContain("1234");
    }

    @Test
    void signinWithTheSdksUserAuthThenSendToUserReachesUserBindings() {
        String userId = uniqueChannel("user");
        JavaClient client = server.client(channels(PresenceData.of(userId)),
                user(UserData.of(userId).withUserInfo(Map.of("name", "Ann")).withWatchlist(List.of("someone-else"))))
                .connect();
        List<PusherEvent> received = new CopyOnWriteArrayList<>();
        client.pusher().user().bind("note", received::add);

        client.signin();

        assertThat(client.pusher().user().userId()).isEqualTo(userId);
        assertThat(client.errors()).isEmpty();
        JsonNode answer = Json.parse(answers.get(0));
        assertThat(Json.parse(answer.get("user_data").textValue()).get("id").textValue()).isEqualTo(userId);
        assertThat(sdk.getUser(userId).orElseThrow().connections()).isEqualTo(1);

        assertThat(sdk.sendToUser(userId, "note", Map.of("text", "Your export is ready")).status()).isEqualTo(200);
        eventually().until(() -> received.size() == 1);
        assertThat(received.get(0).getChannelName()).isEqualTo("#server-to-user-" + userId);
        assertThat(Json.parse(received.get(0).getData()).get("text").textValue()).isEqualTo("Your export is ready");
    }

    @Test
    void sendToUserReachesOnlyConnectionsSignedInAsThatUser() {
        String ann = uniqueChannel("user");
        String bo = uniqueChannel("user");
        JavaClient annClient = server.client(channels(PresenceData.of(ann)), user(UserData.of(ann))).connect().signin();
        JavaClient boClient = server.client(channels(PresenceData.of(bo)), user(UserData.of(bo))).connect().signin();
        List<PusherEvent> annGot = new CopyOnWriteArrayList<>();
        List<PusherEvent> boGot = new CopyOnWriteArrayList<>();
        annClient.pusher().user().bind("note", annGot::add);
        boClient.pusher().user().bind("note", boGot::add);

        sdk.sendToUser(ann, "note", "for ann");
        sdk.sendToUser(bo, "note", "for bo");
        // A later marker to Ann: once it is in, Bo's earlier event would have reached her socket too.
        sdk.sendToUser(ann, "note", "marker");

        eventually().until(() -> annGot.size() == 2 && boGot.size() == 1);
        assertThat(annGot.stream().map(PusherEvent::getData)).containsExactly("for ann", "marker");
        assertThat(boGot.get(0).getData()).isEqualTo("for bo");
    }
}
