package dev.switchboard.server.api;

import static dev.switchboard.server.api.ApiFixture.j;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.api.ApiFixture.Reply;
import dev.switchboard.server.api.ApiFixture.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelEndpointsTest {
    ApiFixture f = new ApiFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void listsOnlyOccupiedChannelsAndNeverServerToUser() {
        Socket a = f.connect();
        a.subscribe("news");
        a.subscribe("private-x");
        a.signin("{\"id\":\"9\"}");
        a.awaitFrame("pusher:signin_success");
        a.subscribe("#server-to-user-9");
        f.post("/events", j("{'name':'e','channels':['cache-vacant'],'data':'x'}"));
        f.drain();
        Reply r = f.get("/channels");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(j("{'channels':{'news':{},'private-x':{}}}"));
    }

    @Test
    void filterByPrefixAndUserCount() {
        Socket a = f.connect();
        Socket b = f.connect();
        a.subscribePresence("presence-one", "1");
        b.subscribePresence("presence-one", "2");
        b.subscribePresence("presence-two", "2");
        a.subscribe("other");
        f.drain();
        Reply r = f.get("/channels", Map.of("filter_by_prefix", "presence-", "info", "user_count"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString())
                .isEqualTo(j("{'channels':{'presence-one':{'user_count':2},'presence-two':{'user_count':1}}}"));
        assertThat(f.get("/channels", Map.of("filter_by_prefix", "oth")).json().toString())
                .isEqualTo(j("{'channels':{'other':{}}}"));
    }

    @Test
    void userCountWithoutPresencePrefixIs400() {
        assertThat(f.get("/channels", Map.of("info", "user_count")).status()).isEqualTo(400);
        assertThat(f.get("/channels", Map.of("filter_by_prefix", "private-", "info", "user_count")).status())
                .isEqualTo(400);
        assertThat(f.get("/channels", Map.of("info", "cache")).status()).isEqualTo(400);
    }

    @Test
    void subscriptionCountInTheListNeedsTheAppFeature() {
        assertThat(f.get("/channels", Map.of("info", "subscription_count")).status()).isEqualTo(400);
        try (ApiFixture counting = new ApiFixture(Map.of("enableSubscriptionCount", true))) {
            Socket a = counting.connect();
            a.subscribe("c");
            counting.drain();
            Reply r = counting.get("/channels", Map.of("info", "subscription_count"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().toString()).isEqualTo(j("{'channels':{'c':{'subscription_count':1}}}"));
        }
    }

    @Test
    void javaSdkEncodedInfoIsDecoded() {
        Socket a = f.connect();
        a.subscribePresence("presence-one", "1");
        f.drain();
        ApiRequest req = f.signer.sign(SdkSigner.Style.JAVA, f.nowSeconds(), "GET", "/apps/app-id/channels/presence-one",
                "/apps/app-id/channels/presence-one", Map.of("info", "user_count,subscription_count"), null);
        assertThat(req.uri()).contains("%2C");
        Reply r = f.send(req);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(j("{'occupied':true,'user_count':1,'subscription_count':1}"));
    }

    @Test
    void channelInfo() {
        assertThat(f.get("/channels/nobody").json().toString()).isEqualTo(j("{'occupied':false}"));
        Socket a = f.connect();
        a.subscribe("somebody");
        f.drain();
        assertThat(f.get("/channels/somebody").json().toString()).isEqualTo(j("{'occupied':true}"));
        assertThat(f.get("/channels/somebody", Map.of("info", "subscription_count")).json().toString())
                .isEqualTo(j("{'occupied':true,'subscription_count':1}"));
    }

    @Test
    void channelInfoRefusesAttributesThatDoNotApply() {
        assertThat(f.get("/channels/plain", Map.of("info", "user_count")).status()).isEqualTo(400);
        assertThat(f.get("/channels/plain", Map.of("info", "cache")).status()).isEqualTo(400);
        assertThat(f.get("/channels/plain", Map.of("info", "bogus")).status()).isEqualTo(400);
        assertThat(f.get("/channels/bad%20name").status()).isEqualTo(400);
        assertThat(f.get("/channels/%23server-to-user-1").status()).isEqualTo(400);
    }

    @Test
    void cacheInfoIsNullWhenEmptyAndCountsDownTheTtl() {
        assertThat(f.get("/channels/cache-c", Map.of("info", "cache")).json().toString())
                .isEqualTo(j("{'occupied':false,'cache':null}"));
        f.post("/events", j("{'name':'e','channels':['cache-c'],'data':'d'}"));
        Socket a = f.connect();
        a.subscribe("cache-c");
        a.awaitFrame("\"event\":\"e\",\"channel\":\"cache-c\"");
        f.millis.addAndGet(60_000);
        Reply r = f.get("/channels/cache-c", Map.of("info", "cache,subscription_count"));
        assertThat(r.json().toString()).isEqualTo(j("{'occupied':true,'subscription_count':1,'cache':{'event':'e','data':'d','ttl':"
                + (f.app.cacheTtlSeconds() - 60) + "}}"));
        f.millis.addAndGet(f.app.cacheTtlSeconds() * 1000L);
        assertThat(f.get("/channels/cache-c", Map.of("info", "cache")).json().get("cache").isNull()).isTrue();
    }

    @Test
    void presenceUsers() {
        assertThat(f.get("/channels/presence-empty/users").json().toString()).isEqualTo(j("{'users':[]}"));
        Socket a = f.connect();
        Socket b = f.connect();
        Socket c = f.connect();
        a.subscribePresence("presence-r", "1");
        b.subscribePresence("presence-r", "2");
        c.subscribePresence("presence-r", "2");
        f.drain();
        Reply r = f.get("/channels/presence-r/users");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("users")).hasSize(2);
        assertThat(r.json().toString()).contains(j("{'id':'1'}"), j("{'id':'2'}"));
        assertThat(f.get("/channels/private-r/users").status()).isEqualTo(400);
        assertThat(f.get("/channels/public/users").status()).isEqualTo(400);
    }
}
