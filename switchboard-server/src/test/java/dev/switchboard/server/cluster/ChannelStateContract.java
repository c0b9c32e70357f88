package dev.switchboard.server.cluster;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelState.Joined;
import dev.switchboard.server.engine.ChannelState.Left;
import dev.switchboard.server.engine.ChannelState.Member;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.SharedState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.switchboard.server.engine.ChannelState} must do, run against each implementation
 * ({@link StateContract}): channels and presence: each first subscriber and last leaver of a channel, and each first
 * and last socket of a presence member, decided once over both nodes; the membership order; the channel queries; the
 * cache of cache channels.
 */
public abstract class ChannelStateContract extends StateContract {

    @Test
    void concurrentJoinsAndLeavesOnTwoNodesDecideEachTransitionOnce() {
        String ch = "presence-room";
        List<Supplier<CompletionStage<Joined>>> joins = new ArrayList<>();
        int perUser = 5;
        List<String> users = List.of("u1", "u2", "u3", "u4");
        for (String u : users) {
            for (int i = 0; i < perUser; i++) {
                SharedState node = i % 2 == 0 ? a : b;
                joins.add(() -> node.channels().join(APP, ch, new Member(u, "{\"n\":\"" + u + "\"}"), null, 100));
            }
        }
        List<Joined> joined = concurrently(joins);
        assertThat(joined).noneMatch(Joined::full);
        assertThat(joined.stream().filter(Joined::occupied)).hasSize(1);
        assertThat(joined.stream().filter(Joined::newMember)).hasSize(users.size());
        assertThat(joined.stream().mapToInt(Joined::subscriptionCount).max().getAsInt()).isEqualTo(20);
        assertThat(await(b.channels().channel(APP, ch))).isEqualTo(new ChannelStats(true, 20, 4, null));
        assertThat(await(a.channels().members(APP, ch))).containsExactlyInAnyOrderElementsOf(users);

        List<Supplier<CompletionStage<Left>>> leaves = new ArrayList<>();
        for (String u : users) {
            for (int i = 0; i < perUser; i++) {
                SharedState node = i % 2 == 0 ? a : b;
                leaves.add(() -> node.channels().leave(APP, ch, u, null));
            }
        }
        List<Left> left = concurrently(leaves);
        assertThat(left.stream().filter(Left::vacated)).hasSize(1);
        assertThat(left.stream().filter(Left::memberRemoved)).hasSize(users.size());
        assertThat(await(a.channels().channel(APP, ch))).isEqualTo(new ChannelStats(false, 0, 0, null));
        assertThat(await(b.channels().members(APP, ch))).isEmpty();
    }

    @Test
    void eachMembershipChangeTakesTheNextPositionAndARosterCoversExactlyTheChangesBeforeIt() {
        String ch = "presence-order";
        Joined ann = await(a.channels().join(APP, ch, new Member("ann", null), null, 100));
        Joined bob = await(b.channels().join(APP, ch, new Member("bob", null), null, 100));
        Joined annOnB = await(b.channels().join(APP, ch, new Member("ann", null), null, 100));
        Left bobLeft = await(b.channels().leave(APP, ch, "bob", null));
        Joined cid = await(a.channels().join(APP, ch, new Member("cid", null), null, 100));
        assertThat(ann.position()).isPositive();
        assertThat(bob.position()).isGreaterThan(ann.position());
        assertThat(annOnB.newMember()).isFalse();
        assertThat(annOnB.position()).isEqualTo(bob.position()); // nothing changed since bob's add
        assertThat(bobLeft.memberRemoved()).isTrue();
        assertThat(bobLeft.position()).isGreaterThan(bob.position());
        assertThat(cid.position()).isGreaterThan(bobLeft.position());

        await(b.channels().leave(APP, ch, "ann", null));
        await(a.channels().leave(APP, ch, "ann", null));
        assertThat(await(a.channels().leave(APP, ch, "cid", null)).vacated()).isTrue();
        // occupied again: its positions go on above the old ones, so an event of the old life is never news
        assertThat(await(b.channels().join(APP, ch, new Member("dan", null), null, 100)).position()).isGreaterThan(cid.position());
    }

    @Test
    void presenceLimitCountsEveryNode() {
        String ch = "presence-small";
        assertThat(await(a.channels().join(APP, ch, new Member("u1", null), null, 2)).full()).isFalse();
        assertThat(await(b.channels().join(APP, ch, new Member("u2", null), null, 2)).full()).isFalse();
        assertThat(await(a.channels().join(APP, ch, new Member("u3", null), null, 2)).full()).isTrue();
        Joined again = await(b.channels().join(APP, ch, new Member("u1", null), null, 2));
        assertThat(again.full()).isFalse();
        assertThat(again.newMember()).isFalse();
        assertThat(await(b.channels().channel(APP, ch)).userCount()).isEqualTo(2);
        assertThat(await(a.channels().channel(APP, ch)).subscriptionCount()).isEqualTo(3);
    }

    @Test
    void rosterListsTheMembersOfEveryNodeInJoinOrder() {
        String ch = "presence-roster";
        Joined first = await(a.channels().join(APP, ch, new Member("ann", "{\"name\":\"Ann\"}"), null, 100));
        assertThat(first.roster()).containsExactly(Map.entry("ann", "{\"name\":\"Ann\"}"));
        await(b.channels().join(APP, ch, new Member("bob", null), null, 100));
        Joined third = await(b.channels().join(APP, ch, new Member("cid", "{\"name\":\"Cid\"}"), null, 100));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ann", "{\"name\":\"Ann\"}");
        expected.put("bob", null);
        expected.put("cid", "{\"name\":\"Cid\"}");
        assertThat(new ArrayList<>(third.roster().entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
        assertThat(await(a.channels().members(APP, ch))).containsExactly("ann", "bob", "cid");
        Joined publicJoin = await(a.channels().join(APP, "public-x", null, null, 100));
        assertThat(publicJoin.roster()).isNull();
    }

    @Test
    void cacheKeepsTheLastEventUntilItExpires() {
        long now = System.currentTimeMillis();
        a.channels().cachePut(APP, "cache-news", new CachedEvent("e1", "{\"x\":1}", now + 60_000));
        a.channels().cachePut(APP, "cache-news", new CachedEvent("e2", "{\"x\":2}", now + 60_000));
        eventually().until(() -> {
            CachedEvent e = await(b.channels().cacheGet(APP, "cache-news"));
            return e != null && e.event().equals("e2");
        });
        CachedEvent e = await(b.channels().cacheGet(APP, "cache-news"));
        assertThat(e.data()).isEqualTo("{\"x\":2}");
        assertThat(e.expiresAtMillis()).isEqualTo(now + 60_000);
        assertThat(await(b.channels().channel(APP, "cache-news")).cache()).isEqualTo(e);
        a.channels().cachePut(APP, "cache-old", new CachedEvent("e", "d", now - 1));
        assertThat(await(b.channels().cacheGet(APP, "cache-old"))).isNull();
        assertThat(await(a.channels().cacheGet(APP, "cache-none"))).isNull();
    }

    @Test
    void channelListHoldsOccupiedChannelsOfEveryNodeByPrefix() {
        await(a.channels().join(APP, "presence-one", new Member("u1", null), null, 100));
        await(b.channels().join(APP, "presence-one", new Member("u2", null), null, 100));
        await(b.channels().join(APP, "private-two", null, null, 100));
        await(a.channels().join(APP, "#server-to-user-u1", null, null, 100));
        await(a.channels().join("other-app", "presence-one", new Member("u9", null), null, 100));

        assertThat(await(a.channels().channels(APP, null))).isEqualTo(Map.of(
                "presence-one", new ChannelStats(true, 2, 2, null),
                "private-two", new ChannelStats(true, 1, -1, null)));
        assertThat(await(b.channels().channels(APP, "presence-")).keySet()).containsExactly("presence-one");
        await(b.channels().leave(APP, "private-two", null, null));
        assertThat(await(a.channels().channels(APP, "private-"))).isEmpty();
        assertThat(await(a.channels().channel(APP, "private-two"))).isEqualTo(ChannelStats.VACANT);
    }
}
