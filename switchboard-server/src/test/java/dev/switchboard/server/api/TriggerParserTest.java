package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import org.junit.jupiter.api.Test;

class TriggerParserTest {
    final AppConfig app = AppConfig.defaults("1", "key", "secret");

    static JsonNode json(String s) {
        return WireCodec.parse(s.replace('\'', '"'));
    }

    Trigger parse(String body) {
        return TriggerParser.parse(json(body), app, app.maxChannelsPerTrigger(), "");
    }

    ApiProblem refuse(String body) {
        return catchThrowableOfType(ApiProblem.class, () -> parse(body));
    }

    @Test
    void parsesTheSdkShape() {
        Trigger t = parse("{'name':'ev','data':'{\\'a\\':1}','channels':['a','b','a'],'socket_id':'1.2','info':'user_count,subscription_count'}");
        assertThat(t.name()).isEqualTo("ev");
        assertThat(t.data()).isEqualTo("{\"a\":1}");
        assertThat(t.channels()).containsExactly("a", "b");
        assertThat(t.socketId()).isEqualTo("1.2");
        assertThat(t.info()).containsExactlyInAnyOrder(InfoAttribute.USER_COUNT, InfoAttribute.SUBSCRIPTION_COUNT);
    }

    @Test
    void singleChannelFormAndNullSocketId() {
        Trigger t = parse("{'name':'ev','data':'x','channel':'c','socket_id':null}");
        assertThat(t.channels()).containsExactly("c");
        assertThat(t.socketId()).isNull();
        assertThat(t.info()).isEmpty();
    }

    @Test
    void nonStringDataIsSerialised() {
        assertThat(parse("{'name':'ev','data':{'b':[1,2]},'channel':'c'}").data()).isEqualTo("{\"b\":[1,2]}");
        assertThat(parse("{'name':'ev','data':42,'channel':'c'}").data()).isEqualTo("42");
    }

    @Test
    void requiredFields() {
        assertThat(refuse("{'data':'x','channel':'c'}").getMessage()).contains("name");
        assertThat(refuse("{'name':'e','channel':'c'}").getMessage()).contains("data");
        assertThat(refuse("{'name':'e','data':'x'}").getMessage()).contains("channels");
        assertThat(refuse("{'name':'e','data':'x','channels':[]}").status()).isEqualTo(400);
        assertThat(refuse("{'name':5,'data':'x','channel':'c'}").status()).isEqualTo(400);
        assertThat(refuse("{'name':'e','data':'x','channels':'c'}").status()).isEqualTo(400);
        assertThat(refuse("{'name':'e','data':'x','channels':[1]}").status()).isEqualTo(400);
        assertThat(catchThrowableOfType(ApiProblem.class,
                () -> TriggerParser.parse(json("[]"), app, 100, "")).status()).isEqualTo(400);
    }

    @Test
    void eventNameLength() {
        String ok = "e".repeat(app.maxEventNameLength());
        assertThat(parse("{'name':'" + ok + "','data':'x','channel':'c'}").name()).isEqualTo(ok);
        assertThat(refuse("{'name':'" + ok + "e','data':'x','channel':'c'}").status()).isEqualTo(400);
    }

    @Test
    void dataSizeIsUtf8BytesAnd413() {
        int limit = app.maxEventDataBytes();
        assertThat(parse("{'name':'e','data':'" + "a".repeat(limit) + "','channel':'c'}").data()).hasSize(limit);
        assertThat(refuse("{'name':'e','data':'" + "a".repeat(limit + 1) + "','channel':'c'}").status()).isEqualTo(413);
        // é is two bytes: limit/2 + 1 of them exceed the limit although the string is shorter than it.
        assertThat(refuse("{'name':'e','data':'" + "é".repeat(limit / 2 + 1) + "','channel':'c'}").status())
                .isEqualTo(413);
        assertThat(TriggerParser.utf8Length("a\u00e9\u20ac\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
    }

    @Test
    void channelCountLimit() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= app.maxChannelsPerTrigger(); i++) {
            many.append(i == 0 ? "" : ",").append("'c").append(i).append("'");
        }
        assertThat(refuse("{'name':'e','data':'x','channels':[" + many + "]}").getMessage()).contains("Too many");
    }

    @Test
    void channelNamesAreValidatedUpTo200Characters() {
        String c200 = "c".repeat(200);
        assertThat(parse("{'name':'e','data':'x','channel':'" + c200 + "'}").channels()).containsExactly(c200);
        assertThat(refuse("{'name':'e','data':'x','channel':'" + c200 + "c'}").status()).isEqualTo(400);
        assertThat(refuse("{'name':'e','data':'x','channel':'bad name'}").status()).isEqualTo(400);
        assertThat(refuse("{'name':'e','data':'x','channel':'#internal'}").status()).isEqualTo(400);
        assertThat(refuse("{'name':'e','data':'x','channel':'a#b'}").status()).isEqualTo(400);
    }

    @Test
    void serverToUserChannelsAreAccepted() {
        assertThat(parse("{'name':'e','data':'x','channels':['#server-to-user-42']}").channels())
                .containsExactly("#server-to-user-42");
        assertThat(refuse("{'name':'e','data':'x','channels':['#server-to-user-']}").status()).isEqualTo(400);
    }

    @Test
    void encryptedChannelsMustBeAlone() {
        assertThat(parse("{'name':'e','data':'x','channels':['private-encrypted-a']}").channels()).hasSize(1);
        assertThat(refuse("{'name':'e','data':'x','channels':['private-encrypted-a','b']}").status()).isEqualTo(400);
    }

    @Test
    void socketIdFormat() {
        for (String bad : new String[] {"'abc'", "'1.'", "'.1'", "'1.2.3'", "'1-2'", "12", "' 1.2'"}) {
            assertThat(refuse("{'name':'e','data':'x','channel':'c','socket_id':" + bad + "}").status())
                    .as(bad).isEqualTo(400);
        }
        assertThat(parse("{'name':'e','data':'x','channel':'c','socket_id':'123456.7890'}").socketId())
                .isEqualTo("123456.7890");
    }

    @Test
    void infoAttributes() {
        assertThat(refuse("{'name':'e','data':'x','channel':'c','info':'cache'}").status()).isEqualTo(400);
        assertThat(refuse("{'name':'e','data':'x','channel':'c','info':'bogus'}").status()).isEqualTo(400);
        assertThat(refuse("{'name':'e','data':'x','channel':'c','info':['user_count']}").status()).isEqualTo(400);
        assertThat(parse("{'name':'e','data':'x','channel':'c','info':' subscription_count, '}").info())
                .containsExactly(InfoAttribute.SUBSCRIPTION_COUNT);
    }

    @Test
    void batchItemsAllowOneChannelAndPrefixMessages() {
        ApiProblem p = catchThrowableOfType(ApiProblem.class, () -> TriggerParser.parse(
                json("{'name':'e','data':'x','channels':['a','b']}"), app, 1, "batch[3]: "));
        assertThat(p.getMessage()).startsWith("batch[3]: ");
    }
}
