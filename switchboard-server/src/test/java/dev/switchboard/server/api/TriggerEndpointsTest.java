package dev.switchboard.server.api;

import static dev.switchboard.server.api.ApiFixture.j;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.api.ApiFixture.Reply;
import dev.switchboard.server.api.ApiFixture.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TriggerEndpointsTest {
    ApiFixture f = new ApiFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void triggerDeliversTheDataStringUntouchedAndAnswersEmptyObject() {
        Socket s = f.connect();
        s.subscribe("my-channel");
        Reply r = f.post("/events", j("{'name':'my-event','channels':['my-channel'],'data':'{\\'some\\':\\'data\\'}'}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        s.awaitFrame("{\"event\":\"my-event\",\"channel\":\"my-channel\",\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}");
    }

    @Test
    void singleChannelFormWorks() {
        Socket s = f.connect();
        s.subscribe("one");
        assertThat(f.post("/events", j("{'name':'e','channel':'one','data':'x'}")).status()).isEqualTo(200);
        s.awaitFrame("\"channel\":\"one\"");
    }

    @Test
    void socketIdIsExcluded() {
        Socket a = f.connect();
        Socket b = f.connect();
        a.subscribe("room");
        b.subscribe("room");
        Reply r = f.post("/events", j("{'name':'e','channels':['room'],'data':'x','socket_id':'" + a.socketId() + "'}"));
        assertThat(r.status()).isEqualTo(200);
        b.awaitFrame("\"event\":\"e\"");
        f.drain();
        assertThat(a.received("\"event\":\"e\"")).isFalse();
    }

    @Test
    void badSocketIdIs400() {
        Reply r = f.post("/events", j("{'name':'e','channels':['room'],'data':'x','socket_id':'abc'}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("socket_id");
    }

    @Test
    void aHugeChannelNameOrSocketIdIs400WithOnlyItsPrefixQuoted() {
        String huge = "c".repeat(60_000);
        Reply name = f.post("/events", j("{'name':'e','channels':['" + huge + "'],'data':'x'}"));
        assertThat(name.status()).isEqualTo(400);
        assertThat(name.json().get("error").asText()).startsWith("Channel name too long")
                .endsWith("c… (60000 characters)");
        assertThat(name.text().length()).isLessThan(300);
        Reply socket = f.post("/events", j("{'name':'e','channels':['room'],'data':'x','socket_id':'" + huge + "'}"));
        assertThat(socket.status()).isEqualTo(400);
        assertThat(socket.text().length()).isLessThan(300);
        Reply info = f.get("/channels", Map.of("info", huge));
        assertThat(info.status()).isEqualTo(400);
        assertThat(info.json().get("error").asText()).startsWith("Unsupported info attribute");
        assertThat(info.text().length()).isLessThan(300);
    }

    @Test
    void sendToUserReachesEverySignedInSocketOfTheUser() {
        Socket a = f.connect();
        Socket b = f.connect();
        a.signin("{\"id\":\"42\"}");
        b.signin("{\"id\":\"42\"}");
        a.awaitFrame("pusher:signin_success");
        b.awaitFrame("pusher:signin_success");
        // Exactly what pusher-http-node's sendToUser posts (§5.8).
        Reply r = f.post("/events", j("{'name':'hello','data':'{\\'x\\':1}','channels':['#server-to-user-42']}"));
        assertThat(r.status()).isEqualTo(200);
        a.awaitFrame("\"channel\":\"#server-to-user-42\"");
        b.awaitFrame("\"channel\":\"#server-to-user-42\"");
    }

    @Test
    void otherHashChannelsAre400() {
        assertThat(f.post("/events", j("{'name':'e','channels':['#other'],'data':'x'}")).status()).isEqualTo(400);
    }

    @Test
    void dataOverTheLimitIs413() {
        int limit = f.app.maxEventDataBytes();
        assertThat(f.post("/events", j("{'name':'e','channels':['c'],'data':'" + "a".repeat(limit) + "'}")).status())
                .isEqualTo(200);
        Reply r = f.post("/events", j("{'name':'e','channels':['c'],'data':'" + "a".repeat(limit + 1) + "'}"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().has("error")).isTrue();
    }

    @Test
    void smallerDataLimitFromAppConfig() {
        try (ApiFixture small = new ApiFixture(Map.of("maxEventDataBytes", 8, "maxChannelsPerTrigger", 2,
                "maxEventNameLength", 3))) {
            assertThat(small.post("/events", j("{'name':'e','channels':['c'],'data':'123456789'}")).status()).isEqualTo(413);
            assertThat(small.post("/events", j("{'name':'e','channels':['a','b','c'],'data':'1'}")).status()).isEqualTo(400);
            assertThat(small.post("/events", j("{'name':'long','channels':['a'],'data':'1'}")).status()).isEqualTo(400);
            assertThat(small.post("/events", j("{'name':'e','channels':['a','b'],'data':'1'}")).status()).isEqualTo(200);
        }
    }

    @Test
    void nonStringDataIsSerialised() {
        Socket s = f.connect();
        s.subscribe("c");
        assertThat(f.post("/events", j("{'name':'e','channels':['c'],'data':{'a':1}}")).status()).isEqualTo(200);
        s.awaitFrame("\"data\":\"{\\\"a\\\":1}\"");
    }

    @Test
    void validationErrorsAre400() {
        assertThat(f.post("/events", j("{'channels':['c'],'data':'x'}")).status()).isEqualTo(400);
        assertThat(f.post("/events", j("{'name':'e','data':'x'}")).status()).isEqualTo(400);
        assertThat(f.post("/events", j("{'name':'e','channels':['c']}")).status()).isEqualTo(400);
        assertThat(f.post("/events", j("{'name':'e','channels':['bad channel'],'data':'x'}")).status()).isEqualTo(400);
        assertThat(f.post("/events", j("{'name':'e','channels':['private-encrypted-a','b'],'data':'x'}")).status())
                .isEqualTo(400);
        assertThat(f.post("/events", j("{'name':'e','channels':['c'],'data':'x','info':'cache'}")).status())
                .isEqualTo(400);
        assertThat(f.post("/events", "not json").status()).isEqualTo(400);
        assertThat(f.post("/events", "[1]").status()).isEqualTo(400);
    }

    @Test
    void channelNamesUpTo200CharactersAreAcceptedAboveTheSubscribeLimit() {
        String name = "c".repeat(200);
        assertThat(f.post("/events", j("{'name':'e','channels':['" + name + "'],'data':'x'}")).status()).isEqualTo(200);
        assertThat(f.post("/events", j("{'name':'e','channels':['" + name + "c'],'data':'x'}")).status()).isEqualTo(400);
    }

    @Test
    void infoReportsCountsPerChannel() {
        Socket a = f.connect();
        Socket b = f.connect();
        a.subscribePresence("presence-room", "1");
        b.subscribePresence("presence-room", "2");
        a.subscribe("plain");
        f.drain();
        Reply r = f.post("/events", j("{'name':'e','channels':['presence-room','plain','empty'],'data':'x',"
                + "'info':'user_count,subscription_count'}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(j("{'channels':{'presence-room':{'user_count':2,'subscription_count':2},"
                + "'plain':{'subscription_count':1},'empty':{'subscription_count':0}}}"));
    }

    @Test
    void cacheChannelKeepsTheLastTriggeredEvent() {
        f.post("/events", j("{'name':'first','channels':['cache-c'],'data':'1'}"));
        f.post("/events", j("{'name':'last','channels':['cache-c'],'data':'2'}"));
        Reply r = f.get("/channels/cache-c", Map.of("info", "cache"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(j("{'occupied':false,'cache':{'event':'last','data':'2','ttl':"
                + f.app.cacheTtlSeconds() + "}}"));
    }

    // ------------------------------------------------------------------ batch

    @Test
    void batchPublishesEveryItem() {
        Socket s = f.connect();
        s.subscribe("a");
        s.subscribe("b");
        Reply r = f.post("/batch_events", j("{'batch':[{'channel':'a','name':'e1','data':'1'},"
                + "{'channel':'b','name':'e2','data':'2'}]}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        s.awaitFrame("\"event\":\"e1\",\"channel\":\"a\"");
        s.awaitFrame("\"event\":\"e2\",\"channel\":\"b\"");
    }

    @Test
    void batchWithInfoAnswersIndexAlignedAttributes() {
        Socket s = f.connect();
        s.subscribePresence("presence-p", "7");
        f.drain();
        Reply r = f.post("/batch_events", j("{'batch':[{'channel':'presence-p','name':'e','data':'1','info':'user_count'},"
                + "{'channel':'b','name':'e','data':'2'},{'channel':'c','name':'e','data':'3','info':'subscription_count'}]}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(j("{'batch':[{'user_count':1},{},{'subscription_count':0}]}"));
    }

    @Test
    void batchOverTheLimitIs400AndPublishesNothing() {
        Socket s = f.connect();
        s.subscribe("a");
        StringBuilder items = new StringBuilder();
        for (int i = 0; i <= f.app.maxBatchEvents(); i++) {
            items.append(i == 0 ? "" : ",").append("{'channel':'a','name':'e','data':'x'}");
        }
        Reply r = f.post("/batch_events", j("{'batch':[" + items + "]}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("Batch too large");
        f.drain();
        assertThat(s.received("\"event\":\"e\"")).isFalse();
    }

    @Test
    void oneBadItemRefusesTheWholeBatch() {
        Socket s = f.connect();
        s.subscribe("a");
        Reply r = f.post("/batch_events", j("{'batch':[{'channel':'a','name':'ok','data':'x'},"
                + "{'channel':'a','name':'e','data':'" + "x".repeat(f.app.maxEventDataBytes() + 1) + "'}]}"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).startsWith("batch[1]: ");
        f.drain();
        assertThat(s.received("\"event\":\"ok\"")).isFalse();
        assertThat(f.post("/batch_events", j("{'batch':[{'channels':['a','b'],'name':'e','data':'x'}]}")).status())
                .isEqualTo(400);
        assertThat(f.post("/batch_events", j("{'batch':[{'channel':'a','name':'e','data':'x','socket_id':'1'}]}"))
                .status()).isEqualTo(400);
        assertThat(f.post("/batch_events", j("{'nobatch':[]}")).status()).isEqualTo(400);
        assertThat(f.post("/batch_events", j("{'batch':[]}")).status()).isEqualTo(200);
    }

    @Test
    void batchToServerToUserChannel() {
        Socket a = f.connect();
        a.signin("{\"id\":\"u1\"}");
        a.awaitFrame("pusher:signin_success");
        assertThat(f.post("/batch_events", j("{'batch':[{'channel':'#server-to-user-u1','name':'n','data':'x'}]}"))
                .status()).isEqualTo(200);
        a.awaitFrame("\"channel\":\"#server-to-user-u1\"");
    }
}
