package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The exact bytes of every server frame (PROTOCOL.md §0 encoding policy, §1.2, §1.4, §2.4–§2.10, §5.4, §5.10). */
class WireCodecEncodeTest {

    private static String encode(ServerMessage m) {
        return new String(WireCodec.encode(m), StandardCharsets.UTF_8);
    }

    @Test
    void connectionEstablishedDataIsAJsonString() {
        assertThat(encode(new ServerMessage.ConnectionEstablished("218656.9503498", 120))).isEqualTo(
                "{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"218656.9503498\\\",\\\"activity_timeout\\\":120}\"}");
    }

    @Test
    void errorDataIsAnObjectWithANumericCode() {
        assertThat(encode(new ServerMessage.Error(4009, "Connection not authorized within timeout"))).isEqualTo(
                "{\"event\":\"pusher:error\",\"data\":{\"code\":4009,\"message\":\"Connection not authorized within timeout\"}}");
    }

    @Test
    void errorWithoutCodeSendsCodeNull() {
        assertThat(encode(ServerMessage.Error.plain("Existing subscription to channel presence-channel"))).isEqualTo(
                "{\"event\":\"pusher:error\",\"data\":{\"code\":null,\"message\":\"Existing subscription to channel presence-channel\"}}");
    }

    @Test
    void errorFromCloseCodeUsesItsNumberAndText() {
        assertThat(encode(ServerMessage.Error.of(CloseCode.CLIENT_EVENT_REJECTED))).isEqualTo(
                "{\"event\":\"pusher:error\",\"data\":{\"code\":4301,\"message\":\"Client event rejected due to rate limit\"}}");
        assertThat(encode(ServerMessage.Error.of(CloseCode.UNAUTHORIZED, "terminated"))).isEqualTo(
                "{\"event\":\"pusher:error\",\"data\":{\"code\":4009,\"message\":\"terminated\"}}");
    }

    @Test
    void errorMessageIsEscaped() {
        String message = "Invalid signature: Expected HMAC SHA256 hex digest of 1.2:presence-a:{\"user_id\":\"1\"}, but got x";
        JsonNode frame = WireCodec.parse(encode(ServerMessage.Error.plain(message)));
        assertThat(frame.get("data").get("message").textValue()).isEqualTo(message);
        assertThat(frame.get("data").get("code").isNull()).isTrue();
    }

    @Test
    void pongDataIsEmptyObjectString() {
        assertThat(encode(new ServerMessage.Pong())).isEqualTo("{\"event\":\"pusher:pong\",\"data\":\"{}\"}");
    }

    @Test
    void subscriptionSucceededForNonPresence() {
        assertThat(encode(new ServerMessage.SubscriptionSucceeded("private-orders"))).isEqualTo(
                "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"private-orders\",\"data\":\"{}\"}");
    }

    @Test
    void presenceSubscriptionSucceededListsIdsHashAndCountAndKeepsNullInfo() {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("7", "{\"name\":\"Ann\"}");
        members.put("9", null);
        assertThat(encode(new ServerMessage.PresenceSubscriptionSucceeded("presence-room", members))).isEqualTo(
                "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"presence-room\","
                        + "\"data\":\"{\\\"presence\\\":{\\\"ids\\\":[\\\"7\\\",\\\"9\\\"],"
                        + "\\\"hash\\\":{\\\"7\\\":{\\\"name\\\":\\\"Ann\\\"},\\\"9\\\":null},\\\"count\\\":2}}\"}");
    }

    @Test
    void presenceRosterDecodesToIdsMatchingHashKeys() {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("a\"b", "[1,2]");
        members.put("ü", "\"plain\"");
        JsonNode frame = WireCodec.parse(encode(new ServerMessage.PresenceSubscriptionSucceeded("presence-r", members)));
        JsonNode presence = WireCodec.parse(frame.get("data").textValue()).get("presence");
        assertThat(presence.get("ids").toString()).isEqualTo("[\"a\\\"b\",\"ü\"]");
        assertThat(presence.get("hash").get("a\"b").toString()).isEqualTo("[1,2]");
        assertThat(presence.get("hash").get("ü").textValue()).isEqualTo("plain");
        assertThat(presence.get("count").intValue()).isEqualTo(2);
    }

    @Test
    void emptyPresenceRoster() {
        JsonNode frame = WireCodec.parse(encode(new ServerMessage.PresenceSubscriptionSucceeded("presence-r", Map.of())));
        assertThat(frame.get("data").textValue()).isEqualTo("{\"presence\":{\"ids\":[],\"hash\":{},\"count\":0}}");
    }

    @Test
    void memberAddedWithAndWithoutInfo() {
        assertThat(encode(new ServerMessage.MemberAdded("presence-room", "9", "{\"name\":\"Bo\"}"))).isEqualTo(
                "{\"event\":\"pusher_internal:member_added\",\"channel\":\"presence-room\","
                        + "\"data\":\"{\\\"user_id\\\":\\\"9\\\",\\\"user_info\\\":{\\\"name\\\":\\\"Bo\\\"}}\"}");
        assertThat(encode(new ServerMessage.MemberAdded("presence-room", "9", null))).isEqualTo(
                "{\"event\":\"pusher_internal:member_added\",\"channel\":\"presence-room\","
                        + "\"data\":\"{\\\"user_id\\\":\\\"9\\\",\\\"user_info\\\":null}\"}");
    }

    @Test
    void memberRemoved() {
        assertThat(encode(new ServerMessage.MemberRemoved("presence-room", "9"))).isEqualTo(
                "{\"event\":\"pusher_internal:member_removed\",\"channel\":\"presence-room\",\"data\":\"{\\\"user_id\\\":\\\"9\\\"}\"}");
    }

    @Test
    void subscriptionCount() {
        assertThat(encode(new ServerMessage.SubscriptionCount("my-channel", 12))).isEqualTo(
                "{\"event\":\"pusher_internal:subscription_count\",\"channel\":\"my-channel\",\"data\":\"{\\\"subscription_count\\\":12}\"}");
    }

    @Test
    void cacheMiss() {
        assertThat(encode(new ServerMessage.CacheMiss("cache-x"))).isEqualTo(
                "{\"event\":\"pusher:cache_miss\",\"channel\":\"cache-x\",\"data\":\"{}\"}");
    }

    @Test
    void httpChannelEventRelaysTheDataStringUntouched() {
        String data = "{\"some\":\"data\"}";
        assertThat(encode(new ServerMessage.ChannelEvent("my-event", "my-channel", WireCodec.quote(data), null))).isEqualTo(
                "{\"event\":\"my-event\",\"channel\":\"my-channel\",\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}");
        assertThat(encode(new ServerMessage.ChannelEvent("e", "c", WireCodec.quote("not json"), null)))
                .isEqualTo("{\"event\":\"e\",\"channel\":\"c\",\"data\":\"not json\"}");
    }

    @Test
    void clientEventObjectDataStaysAnObjectWithUserIdOnPresence() {
        assertThat(encode(new ServerMessage.ChannelEvent("client-typing", "presence-chat", "{\"chars\":3}", "7"))).isEqualTo(
                "{\"event\":\"client-typing\",\"channel\":\"presence-chat\",\"data\":{\"chars\":3},\"user_id\":\"7\"}");
    }

    @Test
    void channelEventWithoutDataSendsEmptyObjectString() {
        assertThat(encode(new ServerMessage.ChannelEvent("client-a", "private-c", null, null)))
                .isEqualTo("{\"event\":\"client-a\",\"channel\":\"private-c\",\"data\":\"{}\"}");
    }

    @Test
    void decodedClientEventDataIsRelayedByteForByte() {
        for (String data : List.of("{\"chars\":3}", "\"{\\\"chars\\\":3}\"", "[1,2]", "\"Zoë ☃\"")) {
            ClientMessage.ClientEvent in = (ClientMessage.ClientEvent)
                    WireCodec.decode("{\"event\":\"client-x\",\"channel\":\"private-c\",\"data\":" + data + "}");
            assertThat(encode(new ServerMessage.ChannelEvent(in.event(), in.channel(), in.dataJson(), null)))
                    .isEqualTo("{\"event\":\"client-x\",\"channel\":\"private-c\",\"data\":" + data + "}");
        }
    }

    @Test
    void serverToUserEventKeepsTheHashChannel() {
        assertThat(encode(new ServerMessage.ChannelEvent("hello", "#server-to-user-42", WireCodec.quote("hi"), null)))
                .isEqualTo("{\"event\":\"hello\",\"channel\":\"#server-to-user-42\",\"data\":\"hi\"}");
    }

    @Test
    void signinSuccessDataIsAnObjectHoldingTheUserDataString() {
        String userData = "{\"id\":\"12345\",\"user_info\":{\"name\":\"Ann\"}}";
        assertThat(encode(new ServerMessage.SigninSuccess(userData))).isEqualTo(
                "{\"event\":\"pusher:signin_success\",\"data\":{\"user_data\":\"{\\\"id\\\":\\\"12345\\\",\\\"user_info\\\":{\\\"name\\\":\\\"Ann\\\"}}\"}}");
    }

    @Test
    void watchlistEventsWithBothLists() {
        assertThat(encode(new ServerMessage.WatchlistEvents(List.of("2", "3"), List.of("4")))).isEqualTo(
                "{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":["
                        + "{\"name\":\"online\",\"user_ids\":[\"2\",\"3\"]},{\"name\":\"offline\",\"user_ids\":[\"4\"]}]}}");
    }

    @Test
    void watchlistEventsOmitEmptyLists() {
        assertThat(encode(new ServerMessage.WatchlistEvents(List.of(), List.of("4")))).isEqualTo(
                "{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[{\"name\":\"offline\",\"user_ids\":[\"4\"]}]}}");
        assertThat(encode(new ServerMessage.WatchlistEvents(List.of("2"), null))).isEqualTo(
                "{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[{\"name\":\"online\",\"user_ids\":[\"2\"]}]}}");
    }

    @Test
    void encodeToStringEqualsTheUtf8Bytes() {
        ServerMessage m = new ServerMessage.ChannelEvent("e", "c", WireCodec.quote("Zoë ☃"), null);
        assertThat(WireCodec.encodeToString(m)).isEqualTo(new String(WireCodec.encode(m), StandardCharsets.UTF_8));
        assertThat(WireCodec.encodeToString(m)).contains("Zoë ☃");
    }

    /** PROTOCOL.md §0: the Java client throws on a server event without data, so every frame has one. */
    @Test
    void everyServerMessageTypeHasAnEventAndAData() {
        List<ServerMessage> samples = List.of(
                new ServerMessage.ConnectionEstablished("1.2", 120),
                ServerMessage.Error.plain("x"),
                new ServerMessage.Pong(),
                new ServerMessage.SubscriptionSucceeded("c"),
                new ServerMessage.PresenceSubscriptionSucceeded("presence-c", Map.of("1", "{}")),
                new ServerMessage.MemberAdded("presence-c", "1", null),
                new ServerMessage.MemberRemoved("presence-c", "1"),
                new ServerMessage.SubscriptionCount("c", 1),
                new ServerMessage.CacheMiss("cache-c"),
                new ServerMessage.ChannelEvent("e", "c", null, null),
                new ServerMessage.SigninSuccess("{\"id\":\"1\"}"),
                new ServerMessage.WatchlistEvents(List.of(), List.of()));
        Set<Class<?>> covered = samples.stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(ServerMessage.class.getPermittedSubclasses()));
        for (ServerMessage m : samples) {
            JsonNode frame = WireCodec.parse(WireCodec.encode(m));
            assertThat(frame).as(m.toString()).isNotNull();
            assertThat(frame.get("event").isTextual()).as(m.toString()).isTrue();
            assertThat(frame.has("data")).as(m.toString()).isTrue();
            if (frame.get("data").isTextual() && !frame.get("event").textValue().equals("e")) {
                assertThat(WireCodec.parse(frame.get("data").textValue())).as(m.toString()).isNotNull();
            }
        }
    }

    @Test
    void quoteProducesAJsonStringLiteral() {
        assertThat(WireCodec.quote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
        assertThat(WireCodec.parse(WireCodec.quote("Zoë ☃ \u0001")).textValue()).isEqualTo("Zoë ☃ \u0001");
    }
}
