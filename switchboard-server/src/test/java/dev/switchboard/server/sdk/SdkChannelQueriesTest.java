package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sdk.ChannelResult;
import dev.switchboard.sdk.ChannelsResult;
import dev.switchboard.sdk.PresenceData;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** channels, channel and presenceUsers against real subscriptions. */
class SdkChannelQueriesTest extends SdkServer {

    @Test
    void channelListsWithAndWithoutInfo() {
        RawSocket a = socket();
        RawSocket b = socket();
        a.subscribe("news", null);
        a.subscribe("presence-room", client.authorizeChannel(a.socketId, "presence-room", PresenceData.of("ann")));
        b.subscribe("presence-room", client.authorizeChannel(b.socketId, "presence-room",
                new PresenceData("bob", Map.of("name", "Bob"))));

        ChannelsResult all = client.channels(null);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.channels()).containsOnlyKeys("news", "presence-room");

        ChannelsResult presence = client.channels("presence-", "user_count");
        assertThat(presence.channels()).containsOnlyKeys("presence-room");
        assertThat(presence.channels().get("presence-room").userCount()).isEqualTo(2);

        assertThat(client.presenceUsers("presence-room").ids()).containsExactlyInAnyOrder("ann", "bob");
        assertThat(client.presenceUsers("presence-empty").ids()).isEmpty();
    }

    @Test
    void oneChannel() {
        RawSocket a = socket();
        a.subscribe("news", null);
        ChannelResult news = client.channel("news", "subscription_count");
        assertThat(news.occupied()).isTrue();
        assertThat(news.info().subscriptionCount()).isEqualTo(1);
        assertThat(client.channel("nobody-here").occupied()).isFalse();

        RawSocket p = socket();
        p.subscribe("presence-x", client.authorizeChannel(p.socketId, "presence-x", PresenceData.of("u1")));
        assertThat(client.channel("presence-x", "user_count").info().userCount()).isEqualTo(1);
    }

    @Test
    void cacheChannelKeepsTheLastEvent() {
        client.trigger("cache-scores", "score", "{\"home\":2}");
        ChannelResult cached = client.channel("cache-scores", "cache");
        assertThat(cached.info().cache()).isNotNull();
        assertThat(cached.info().cache().data()).isEqualTo("{\"home\":2}");
        assertThat(cached.info().cache().ttlSeconds()).isPositive();
    }
}
