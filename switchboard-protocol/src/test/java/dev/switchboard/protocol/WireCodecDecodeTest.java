package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every client frame shape of PROTOCOL.md §0, §2.3, §2.5, §4 and §5.2 as the official clients send them. */
class WireCodecDecodeTest {

    @Nested
    class Ping {
        @Test
        void javaClientPingWithoutData() {
            assertThat(WireCodec.decode("{\"event\": \"pusher:ping\"}")).isEqualTo(new ClientMessage.Ping());
        }

        @Test
        void pusherJsPingWithObjectData() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:ping\",\"data\":{}}")).isEqualTo(new ClientMessage.Ping());
        }

        @Test
        void pongFromPusherJs() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:pong\",\"data\":{}}")).isEqualTo(new ClientMessage.Pong());
        }
    }

    @Nested
    class Subscribe {
        @Test
        void pusherJsPublicWithEmptyAuth() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"my-channel\"}}"))
                    .isEqualTo(new ClientMessage.Subscribe("my-channel", "", null));
        }

        @Test
        void javaClientPublicWithoutAuth() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"my-channel\"}}"))
                    .isEqualTo(new ClientMessage.Subscribe("my-channel", null, null));
        }

        @Test
        void privateWithAuth() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"key:abc\",\"channel\":\"private-orders\"}}"))
                    .isEqualTo(new ClientMessage.Subscribe("private-orders", "key:abc", null));
        }

        @Test
        void presenceKeepsChannelDataAsTheExactString() {
            String channelData = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
            String frame = "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"key:abc\",\"channel_data\":"
                    + WireCodec.quote(channelData) + ",\"channel\":\"presence-room\"}}";
            assertThat(WireCodec.decode(frame)).isEqualTo(new ClientMessage.Subscribe("presence-room", "key:abc", channelData));
        }

        @Test
        void presenceChannelDataWithSpacesIsNotReserialised() {
            String channelData = "{ \"user_id\" : \"7\" ,\"user_info\":{ } }";
            String frame = "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"k:s\",\"channel\":\"presence-r\",\"channel_data\":"
                    + WireCodec.quote(channelData) + "}}";
            assertThat(((ClientMessage.Subscribe) WireCodec.decode(frame)).channelData()).isEqualTo(channelData);
        }

        @Test
        void presenceThroughSigninWithoutChannelData() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"k:s\",\"channel\":\"presence-r\"}}"))
                    .isEqualTo(new ClientMessage.Subscribe("presence-r", "k:s", null));
        }

        @Test
        void serverToUserFromPusherJs() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"#server-to-user-42\"}}"))
                    .isEqualTo(new ClientMessage.Subscribe("#server-to-user-42", "", null));
        }

        @Test
        void nullFieldsCountAsAbsent() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"a\",\"auth\":null,\"channel_data\":null}}"))
                    .isEqualTo(new ClientMessage.Subscribe("a", null, null));
        }

        @Test
        void doubleEncodedDataFromOlderClients() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:subscribe\",\"data\":\"{\\\"channel\\\":\\\"a\\\"}\"}"))
                    .isEqualTo(new ClientMessage.Subscribe("a", null, null));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"event\":\"pusher:subscribe\"}",
                "{\"event\":\"pusher:subscribe\",\"data\":null}",
                "{\"event\":\"pusher:subscribe\",\"data\":{}}",
                "{\"event\":\"pusher:subscribe\",\"data\":[]}",
                "{\"event\":\"pusher:subscribe\",\"data\":42}",
                "{\"event\":\"pusher:subscribe\",\"data\":\"not json\"}",
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":42}}",
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":{\"a\":1}}}",
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"a\",\"auth\":1}}",
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-a\",\"auth\":\"k:s\",\"channel_data\":{\"user_id\":\"1\"}}}",
        })
        void wrongShapesAreMalformed(String frame) {
            assertThat(WireCodec.decode(frame)).isInstanceOf(ClientMessage.Malformed.class);
        }
    }

    @Nested
    class Unsubscribe {
        @Test
        void withChannel() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"private-orders\"}}"))
                    .isEqualTo(new ClientMessage.Unsubscribe("private-orders"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"event\":\"pusher:unsubscribe\"}",
                "{\"event\":\"pusher:unsubscribe\",\"data\":{}}",
                "{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":7}}",
        })
        void withoutAStringChannelIsMalformed(String frame) {
            assertThat(WireCodec.decode(frame)).isInstanceOf(ClientMessage.Malformed.class);
        }
    }

    @Nested
    class Signin {
        @Test
        void keepsUserDataAsTheRawString() {
            String userData = "{\"id\":\"12345\",\"user_info\":{\"name\":\"Ann\"},\"watchlist\":[\"2\",\"3\"]}";
            String frame = "{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"app-key:4708d583\",\"user_data\":"
                    + WireCodec.quote(userData) + "}}";
            assertThat(WireCodec.decode(frame)).isEqualTo(new ClientMessage.Signin("app-key:4708d583", userData));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"event\":\"pusher:signin\"}",
                "{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"k:s\"}}",
                "{\"event\":\"pusher:signin\",\"data\":{\"user_data\":\"{}\"}}",
                "{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"k:s\",\"user_data\":{\"id\":\"1\"}}}",
                "{\"event\":\"pusher:signin\",\"data\":{\"auth\":5,\"user_data\":\"{}\"}}",
        })
        void missingOrNonStringFieldsAreMalformed(String frame) {
            assertThat(WireCodec.decode(frame)).isInstanceOf(ClientMessage.Malformed.class);
        }
    }

    @Nested
    class ClientEvents {
        @Test
        void objectDataIsKeptAsJsonText() {
            assertThat(WireCodec.decode("{\"event\":\"client-typing\",\"data\":{\"chars\":3},\"channel\":\"private-chat\"}"))
                    .isEqualTo(new ClientMessage.ClientEvent("client-typing", "private-chat", "{\"chars\":3}"));
        }

        @Test
        void stringDataStaysAJsonStringLiteral() {
            assertThat(WireCodec.decode("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":\"{\\\"chars\\\":3}\"}"))
                    .isEqualTo(new ClientMessage.ClientEvent("client-typing", "private-chat", "\"{\\\"chars\\\":3}\""));
        }

        @Test
        void otherJsonValuesAreKept() {
            assertThat(((ClientMessage.ClientEvent) WireCodec.decode("{\"event\":\"client-a\",\"channel\":\"private-c\",\"data\":[1,\"x\",null]}")).dataJson())
                    .isEqualTo("[1,\"x\",null]");
            assertThat(((ClientMessage.ClientEvent) WireCodec.decode("{\"event\":\"client-a\",\"channel\":\"private-c\",\"data\":12.5}")).dataJson())
                    .isEqualTo("12.5");
        }

        @Test
        void missingDataIsNull() {
            assertThat(WireCodec.decode("{\"event\":\"client-a\",\"channel\":\"private-c\"}"))
                    .isEqualTo(new ClientMessage.ClientEvent("client-a", "private-c", null));
        }

        @Test
        void nonAsciiDataSurvives() {
            ClientMessage.ClientEvent e = (ClientMessage.ClientEvent)
                    WireCodec.decode("{\"event\":\"client-a\",\"channel\":\"private-c\",\"data\":{\"t\":\"Zoë ☃\"}}");
            assertThat(WireCodec.parse(e.dataJson()).get("t").textValue()).isEqualTo("Zoë ☃");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"event\":\"client-a\",\"data\":{}}",
                "{\"event\":\"client-a\",\"channel\":5,\"data\":{}}",
                "{\"event\":\"client-a\",\"channel\":null,\"data\":{}}",
        })
        void withoutAStringChannelIsMalformed(String frame) {
            assertThat(WireCodec.decode(frame)).isInstanceOf(ClientMessage.Malformed.class);
        }
    }

    @Nested
    class Envelope {
        @ParameterizedTest
        @ValueSource(strings = {"", "not json", "{", "{\"event\":\"pusher:ping\"", "{\"event\":}", "nul"})
        void invalidJsonIsMalformed(String frame) {
            assertThat(WireCodec.decode(frame)).isInstanceOf(ClientMessage.Malformed.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"event\":\"pusher:ping\"}]", "\"pusher:ping\"", "42", "null", "true"})
        void nonObjectIsMalformed(String frame) {
            assertThat(WireCodec.decode(frame)).isInstanceOf(ClientMessage.Malformed.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"data\":{}}", "{\"event\":null}", "{\"event\":\"\"}", "{\"event\":42}",
                "{\"event\":{\"a\":1}}", "{\"event\":[\"pusher:ping\"]}"})
        void missingOrNonStringEventIsMalformed(String frame) {
            assertThat(WireCodec.decode(frame)).isInstanceOf(ClientMessage.Malformed.class);
        }

        @Test
        void unknownEventsAreUnknownNotMalformed() {
            assertThat(WireCodec.decode("{\"event\":\"pusher:something_new\",\"data\":{}}"))
                    .isEqualTo(new ClientMessage.Unknown("pusher:something_new"));
            assertThat(WireCodec.decode("{\"event\":\"my-event\",\"channel\":\"c\",\"data\":{}}"))
                    .isEqualTo(new ClientMessage.Unknown("my-event"));
        }

        @Test
        void malformedCarriesAReason() {
            assertThat(((ClientMessage.Malformed) WireCodec.decode("nope")).reason()).isNotBlank();
        }
    }
}
