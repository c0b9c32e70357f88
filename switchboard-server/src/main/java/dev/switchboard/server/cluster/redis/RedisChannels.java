package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.ChannelState;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Channels in Redis: subscriptions and presence members, each first join and last leave decided by join.lua and
 * leave.lua on the channel's slot; the channel queries; the last event of cache channels. A signed-in user's socket
 * also counts in that user's channel list (user_channel.lua on the user's slot, for the user data API).
 */
final class RedisChannels implements ChannelState {
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;
    private final NodeMirror mirror;

    RedisChannels(NodeShare share) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
        this.node = share.node;
        this.mirror = share.mirror;
    }

    /**
     * A join, decided by join.lua. A presence join Redis cannot decide now (a failover of the channel's shard) is
     * held until it can ({@link HeldPresence}), so that its roster is the cluster's and every node hears of it.
     */
    @Override
    public CompletionStage<Joined> join(String appId, String channel, Member member, String signedInUserId,
                                        int maxMembers) {
        if (member != null && share.held.enabled()) {
            synchronized (mirror) {
                if (share.held.busy() || !link.isUp()) {
                    return holdJoin(appId, channel, member, signedInUserId, maxMembers);
                }
            }
        }
        return decideJoin(appId, channel, member, signedInUserId, maxMembers, false);
    }

    /** Under the mirror's monitor. */
    private CompletionStage<Joined> holdJoin(String appId, String channel, Member member, String signedInUserId,
                                             int maxMembers) {
        share.dirty(); // the write-back after which held changes are decided
        return share.held.hold(appId, channel,
                () -> decideJoin(appId, channel, member, signedInUserId, maxMembers, false),
                () -> decideJoin(appId, channel, member, signedInUserId, maxMembers, true));
    }

    private CompletionStage<Joined> decideJoin(String appId, String channel, Member member, String signedInUserId,
                                               int maxMembers, boolean alone) {
        Joined local;
        CompletableFuture<Object> sent;
        synchronized (mirror) {
            local = mirror.join(appId, channel, member, signedInUserId, maxMembers);
            if (local.full()) {
                return CompletableFuture.completedFuture(local); // the cluster holds at least this node's members
            }
            if (local.occupied()) {
                share.indexApp(appId);
                share.index(keys.nodeChannels(node), RedisKeys.pair(appId, channel), true);
            }
            if (alone || !link.isUp()) {
                if (!alone && member != null && share.held.enabled()) {
                    // Redis went away since join() looked: another command failed meanwhile, or the index write
                    // above failed at once and marked it down. Held after all, not decided alone.
                    undoJoin(appId, channel, member.userId(), signedInUserId);
                    return holdJoin(appId, channel, member, signedInUserId, maxMembers);
                }
                share.dirty();
                return CompletableFuture.completedFuture(alone(local));
            }
            boolean info = member != null && member.userInfoJson() != null;
            if (member == null) {
                sent = link.eval(Script.JOIN, keys.channelKeysTopicAndHeld(appId, channel), node, "", "0", "",
                        Integer.toString(maxMembers));
            } else {
                // The script publishes the member_added in the step that decides it (docs/cluster.md).
                String added = text(new ServerMessage.MemberAdded(channel, member.userId(), member.userInfoJson()));
                sent = link.eval(Script.JOIN, keys.channelKeysTopicAndHeld(appId, channel), node, member.userId(),
                        info ? "1" : "0", info ? member.userInfoJson() : "", Integer.toString(maxMembers),
                        node, publishCommand(link), added);
            }
            userChannel(appId, signedInUserId, channel, 1);
        }
        return sent.<CompletionStage<Joined>>handle((r, err) -> {
            if (err != null) {
                share.failed(err);
                if (member != null && share.held.enabled() && NodeShare.isOutage(err)) {
                    synchronized (mirror) {
                        undoJoin(appId, channel, member.userId(), signedInUserId);
                        return holdJoin(appId, channel, member, signedInUserId, maxMembers);
                    }
                }
                return CompletableFuture.completedFuture(alone(local));
            }
            List<Object> reply = list(r);
            if (flag(reply.get(0))) {
                synchronized (mirror) {
                    undoJoin(appId, channel, member.userId(), signedInUserId);
                }
                return CompletableFuture.completedFuture(Joined.refused());
            }
            boolean vacancyCancelled = flag(reply.get(5));
            if (member == null) {
                return CompletableFuture.completedFuture(new Joined(false, flag(reply.get(1)), false,
                        (int) num(reply.get(3)), null, 0, false, vacancyCancelled, false));
            }
            Map<String, String> roster = new LinkedHashMap<>();
            for (int i = 7; i + 1 < reply.size(); i += 2) {
                roster.put((String) reply.get(i), (String) reply.get(i + 1));
            }
            boolean added = flag(reply.get(2));
            if (added) {
                link.messagesOut.incrementAndGet();
            }
            return CompletableFuture.completedFuture(new Joined(false, flag(reply.get(1)), added,
                    (int) num(reply.get(3)), roster, num(reply.get(4)), true, vacancyCancelled, flag(reply.get(6))));
        }).thenCompose(j -> j);
    }

    /** A join decided by this node alone: a new presence member makes it resign at its next good heartbeat. */
    private Joined alone(Joined local) {
        if (local.newMember()) {
            share.decidedAlone("a presence member's join");
        }
        return local;
    }

    /** A leave decided by this node alone: a presence member removed makes it resign, as above. */
    private Left alone(Left local) {
        if (local.memberRemoved()) {
            share.decidedAlone("a presence member's leave");
        }
        return local;
    }

    /** Under the mirror's monitor: takes back a join Redis refused, or did not decide. */
    private void undoJoin(String appId, String channel, String userId, String signedInUserId) {
        Left undo = mirror.leave(appId, channel, userId, signedInUserId);
        if (undo.vacated()) {
            share.index(keys.nodeChannels(node), RedisKeys.pair(appId, channel), false);
        }
        userChannel(appId, signedInUserId, channel, -1);
    }

    /**
     * A leave, decided by leave.lua; a presence leave Redis cannot decide now is held as a join is. {@code holdMillis}
     * &gt; 0: the vacancy or removal it decides is also held for this node's webhook (ChannelState#leave).
     */
    @Override
    public CompletionStage<Left> leave(String appId, String channel, String memberId, String signedInUserId,
                                       long holdMillis) {
        if (memberId != null && share.held.enabled()) {
            synchronized (mirror) {
                if (share.held.busy() || !link.isUp()) {
                    return holdLeave(appId, channel, memberId, signedInUserId, holdMillis);
                }
            }
        }
        return decideLeave(appId, channel, memberId, signedInUserId, holdMillis, false);
    }

    /** Under the mirror's monitor. */
    private CompletionStage<Left> holdLeave(String appId, String channel, String memberId, String signedInUserId,
                                            long holdMillis) {
        share.dirty();
        return share.held.hold(appId, channel,
                () -> decideLeave(appId, channel, memberId, signedInUserId, holdMillis, false),
                () -> decideLeave(appId, channel, memberId, signedInUserId, holdMillis, true));
    }

    private CompletionStage<Left> decideLeave(String appId, String channel, String memberId, String signedInUserId,
                                              long holdMillis, boolean alone) {
        Left local;
        CompletableFuture<Object> sent;
        String info;
        synchronized (mirror) {
            NodeMirror.ChannelPart part = mirror.channels.get(new NodeMirror.Key(appId, channel));
            NodeMirror.MemberPart held = part == null || memberId == null ? null : part.members.get(memberId);
            info = held == null ? null : held.info;
            local = mirror.leave(appId, channel, memberId, signedInUserId);
            if (local.vacated()) {
                share.index(keys.nodeChannels(node), RedisKeys.pair(appId, channel), false);
            }
            if (alone || !link.isUp()) {
                if (!alone && memberId != null && share.held.enabled()) {
                    undoLeave(appId, channel, memberId, info, signedInUserId);
                    return holdLeave(appId, channel, memberId, signedInUserId, holdMillis);
                }
                share.dirty();
                return CompletableFuture.completedFuture(alone(local));
            }
            String hold = Long.toString(Math.max(0, holdMillis));
            sent = memberId == null
                    ? link.eval(Script.LEAVE, keys.channelKeysTopicAndHeld(appId, channel), node, "", hold)
                    : link.eval(Script.LEAVE, keys.channelKeysTopicAndHeld(appId, channel), node, memberId, hold, node,
                            publishCommand(link), text(new ServerMessage.MemberRemoved(channel, memberId)));
            userChannel(appId, signedInUserId, channel, -1);
        }
        return sent.<CompletionStage<Left>>handle((r, err) -> {
            if (err != null) {
                share.failed(err);
                if (memberId != null && share.held.enabled() && NodeShare.isOutage(err)) {
                    synchronized (mirror) {
                        undoLeave(appId, channel, memberId, info, signedInUserId);
                        return holdLeave(appId, channel, memberId, signedInUserId, holdMillis);
                    }
                }
                return CompletableFuture.completedFuture(alone(local));
            }
            List<Object> reply = list(r);
            boolean removed = flag(reply.get(1));
            if (removed) {
                link.messagesOut.incrementAndGet();
            }
            boolean vacated = flag(reply.get(0));
            boolean held = holdMillis > 0;
            return CompletableFuture.completedFuture(new Left(vacated, removed, (int) num(reply.get(2)),
                    num(reply.get(3)), removed, held && vacated, held && removed));
        }).thenCompose(l -> l);
    }

    /** Under the mirror's monitor: the member back as it was (the mirror is what the write-back puts). */
    private void undoLeave(String appId, String channel, String memberId, String info, String signedInUserId) {
        mirror.join(appId, channel, new Member(memberId, info), signedInUserId, -1);
        share.index(keys.nodeChannels(node), RedisKeys.pair(appId, channel), true);
        userChannel(appId, signedInUserId, channel, 1);
    }

    /** A frame as the text a script takes (and publishes byte for byte: the link encodes it back to UTF-8). */
    static String text(ServerMessage message) {
        return new String(WireCodec.encode(message), StandardCharsets.UTF_8);
    }

    /**
     * A member_removed frame up to its data, for drop_node_channel.lua, which appends the data of each member it
     * removes (the user id is only known there) and the closing brace.
     */
    static String removedFramePrefix(String channel) {
        String whole = text(new ServerMessage.MemberRemoved(channel, ""));
        return whole.substring(0, whole.lastIndexOf("\"data\":") + "\"data\":".length());
    }

    /** PUBLISH, or SPUBLISH on a Redis Cluster, where the channel's topic lives on its slot's shard. */
    static String publishCommand(RedisLink link) {
        return link.settings.sharded() ? "SPUBLISH" : "PUBLISH";
    }

    @Override
    public CompletionStage<ChannelStats> channel(String appId, String channel) {
        ChannelName name = ChannelName.of(channel);
        CompletableFuture<CachedEvent> cache = name.cache()
                ? cacheGet(appId, channel).toCompletableFuture() : CompletableFuture.completedFuture(null);
        return share.query(() -> stats(appId, channel).thenCombine(cache, (s, c) -> s.occupied()
                ? new ChannelStats(true, s.subscriptionCount(), s.userCount(), c)
                : new ChannelStats(false, 0, name.isPresence() ? 0 : -1, c)));
    }

    private CompletableFuture<ChannelStats> stats(String appId, String channel) {
        String[] k = keys.channelKeys(appId, channel);
        boolean presence = ChannelName.of(channel).isPresence();
        return link.eval(Script.CHANNEL_STATS, new String[] {k[0], k[3]}).thenApply(r -> {
            List<Object> reply = list(r);
            int count = (int) num(reply.get(0));
            return new ChannelStats(count > 0, count, presence ? (int) num(reply.get(1)) : -1, null);
        });
    }

    @Override
    public CompletionStage<Map<String, ChannelStats>> channels(String appId, String prefix) {
        return share.query(() -> share.indexed(keys::nodeChannels, appId).thenCompose(names -> {
            Map<String, CompletableFuture<ChannelStats>> all = new TreeMap<>();
            for (String name : names) {
                if (!name.startsWith(ChannelName.SERVER_TO_USER_PREFIX)
                        && (prefix == null || name.startsWith(prefix))) {
                    all.put(name, stats(appId, name));
                }
            }
            return CompletableFuture.allOf(all.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, ChannelStats> out = new TreeMap<>();
                all.forEach((name, f) -> {
                    ChannelStats s = f.join();
                    if (s.occupied()) {
                        out.put(name, s);
                    }
                });
                return out;
            });
        }));
    }

    @Override
    public CompletionStage<List<String>> members(String appId, String channel) {
        return share.query(() -> link.call(c -> c.zrange(keys.channelKeys(appId, channel)[3], 0, -1)));
    }

    @Override
    public void cachePut(String appId, String channel, CachedEvent event) {
        synchronized (mirror) {
            mirror.caches.put(new NodeMirror.Key(appId, channel), event);
        }
        putCache(appId, channel, event, false);
    }

    void putCache(String appId, String channel, CachedEvent event, boolean onlyIfAbsent) {
        long ttl = event.expiresAtMillis() - System.currentTimeMillis();
        if (ttl <= 0 || !link.isUp()) {
            return;
        }
        String value = event.expiresAtMillis() + ":" + event.event().length() + ":" + event.event() + event.data();
        SetArgs args = SetArgs.Builder.px(ttl);
        link.call(c -> c.set(keys.cache(appId, channel), value, onlyIfAbsent ? args.nx() : args))
                .exceptionally(err -> {
                    share.failed(err);
                    return null;
                });
    }

    @Override
    public CompletionStage<CachedEvent> cacheGet(String appId, String channel) {
        CachedEvent local = localCache(appId, channel);
        if (!link.isUp()) {
            return CompletableFuture.completedFuture(local);
        }
        return link.call(c -> c.get(keys.cache(appId, channel))).handle((v, err) -> {
            if (err != null) {
                share.failed(err);
                return local;
            }
            if (v == null) {
                return null;
            }
            int a = v.indexOf(':');
            int b = v.indexOf(':', a + 1);
            int len = Integer.parseInt(v.substring(a + 1, b));
            CachedEvent e = new CachedEvent(v.substring(b + 1, b + 1 + len), v.substring(b + 1 + len),
                    Long.parseLong(v.substring(0, a)));
            return e.expiresAtMillis() > System.currentTimeMillis() ? e : null;
        });
    }

    private CachedEvent localCache(String appId, String channel) {
        synchronized (mirror) {
            CachedEvent e = mirror.caches.get(new NodeMirror.Key(appId, channel));
            if (e != null && e.expiresAtMillis() <= System.currentTimeMillis()) {
                mirror.caches.remove(new NodeMirror.Key(appId, channel));
                return null;
            }
            return e;
        }
    }

    private void userChannel(String appId, String userId, String channel, int delta) {
        if (userId != null) {
            share.send(Script.USER_CHANNEL, keys.userKeys(appId, userId), node, Integer.toString(delta), channel);
        }
    }
}
