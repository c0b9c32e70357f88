package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.LocalFacts.done;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.server.cluster.LocalFacts.App;
import dev.switchboard.server.cluster.LocalFacts.Chan;
import dev.switchboard.server.cluster.LocalFacts.MemberPart;
import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.HeldLeaves.Hold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The one-node {@link ChannelState}: subscriptions, presence members and cache events in this process's memory,
 * every stage already complete. A join or leave is decided inside the channel's compute, with the held vacancy or
 * removal it records or cancels ({@link LocalHolds}).
 */
final class LocalChannelState implements ChannelState {
    private final LocalFacts facts;

    LocalChannelState(LocalFacts facts) {
        this.facts = facts;
    }

    @Override
    public CompletionStage<Joined> join(String appId, String channel, Member member, String signedInUserId,
                                        int maxMembers) {
        App app = facts.app(appId);
        Joined[] result = new Joined[1];
        app.channels.compute(channel, (k, ch) -> {
            boolean created = ch == null;
            if (created) {
                ch = new Chan(member != null);
            }
            boolean newMember = false;
            boolean removalCancelled = false;
            if (member != null && ch.members != null) {
                MemberPart m = ch.members.get(member.userId());
                if (m == null) {
                    if (ch.members.size() >= maxMembers) {
                        result[0] = Joined.refused();
                        return created ? null : ch;
                    }
                    m = new MemberPart(member.userInfoJson());
                    ch.members.put(member.userId(), m);
                    newMember = true;
                    app.positions.incrementAndGet();
                    removalCancelled = app.holds.take(LocalHolds.key(Hold.REMOVAL, channel, member.userId()));
                }
                m.sockets++;
            }
            ch.subscriptions++;
            boolean vacancyCancelled = created && app.holds.take(LocalHolds.key(Hold.VACANCY, channel, null));
            result[0] = new Joined(false, created, newMember, ch.subscriptions, member == null ? null : roster(ch),
                    member == null ? 0 : app.positions.get(), false, vacancyCancelled, removalCancelled);
            return ch;
        });
        if (!result[0].full() && signedInUserId != null) {
            app.userChannel(signedInUserId, channel, 1);
        }
        return done(result[0]);
    }

    private static Map<String, String> roster(Chan ch) {
        Map<String, String> roster = new LinkedHashMap<>();
        ch.members.forEach((id, m) -> roster.put(id, m.userInfoJson));
        return roster;
    }

    @Override
    public CompletionStage<Left> leave(String appId, String channel, String memberId, String signedInUserId,
                                       long holdMillis) {
        App app = facts.app(appId);
        Left[] result = {new Left(false, false, 0)};
        app.channels.computeIfPresent(channel, (k, ch) -> {
            long position = 0;
            if (memberId != null && ch.members != null) {
                MemberPart m = ch.members.get(memberId);
                if (m != null && --m.sockets == 0) {
                    ch.members.remove(memberId);
                    position = app.positions.incrementAndGet();
                }
            }
            ch.subscriptions--;
            boolean vacated = ch.subscriptions <= 0;
            boolean hold = holdMillis > 0;
            if (hold && position > 0) {
                app.holds.hold(LocalHolds.key(Hold.REMOVAL, channel, memberId), holdMillis);
            }
            if (hold && vacated) {
                app.holds.hold(LocalHolds.key(Hold.VACANCY, channel, null), holdMillis);
            }
            result[0] = new Left(vacated, position > 0, Math.max(0, ch.subscriptions), position, false,
                    hold && vacated, hold && position > 0);
            return vacated ? null : ch;
        });
        if (signedInUserId != null) {
            app.userChannel(signedInUserId, channel, -1);
        }
        return done(result[0]);
    }

    @Override
    public CompletionStage<ChannelStats> channel(String appId, String channel) {
        App app = facts.app(appId);
        boolean presence = ChannelName.of(channel).isPresence();
        CachedEvent cache = ChannelName.of(channel).cache() ? cached(app, channel) : null;
        ChannelStats[] stats = {new ChannelStats(false, 0, presence ? 0 : -1, cache)};
        app.channels.computeIfPresent(channel, (k, ch) -> {
            stats[0] = new ChannelStats(true, ch.subscriptions, ch.members == null ? -1 : ch.members.size(), cache);
            return ch;
        });
        return done(stats[0]);
    }

    @Override
    public CompletionStage<Map<String, ChannelStats>> channels(String appId, String prefix) {
        Map<String, ChannelStats> out = new TreeMap<>();
        App app = facts.app(appId);
        for (String name : app.channels.keySet()) {
            if (name.startsWith(ChannelName.SERVER_TO_USER_PREFIX) || (prefix != null && !name.startsWith(prefix))) {
                continue;
            }
            app.channels.computeIfPresent(name, (k, ch) -> {
                out.put(name, new ChannelStats(true, ch.subscriptions, ch.members == null ? -1 : ch.members.size(),
                        null));
                return ch;
            });
        }
        return done(out);
    }

    @Override
    public CompletionStage<List<String>> members(String appId, String channel) {
        List<String> ids = new ArrayList<>();
        facts.app(appId).channels.computeIfPresent(channel, (k, ch) -> {
            if (ch.members != null) {
                ids.addAll(ch.members.keySet());
            }
            return ch;
        });
        return done(ids);
    }

    @Override
    public void cachePut(String appId, String channel, CachedEvent event) {
        facts.app(appId).caches.put(channel, event);
    }

    @Override
    public CompletionStage<CachedEvent> cacheGet(String appId, String channel) {
        return done(cached(facts.app(appId), channel));
    }

    private CachedEvent cached(App app, String channel) {
        CachedEvent e = app.caches.get(channel);
        if (e != null && e.expiresAtMillis() <= facts.clock.getAsLong()) {
            app.caches.remove(channel, e);
            return null;
        }
        return e;
    }
}
