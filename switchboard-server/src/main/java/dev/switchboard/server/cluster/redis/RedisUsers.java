package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;
import static dev.switchboard.server.cluster.redis.Replies.strings;

import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.engine.Inboxes.KeptEvent;
import dev.switchboard.server.engine.OnlineUsers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Users online in Redis: sign-in and sign-out, each first sign-in and last sign-out decided by sign_in.lua and
 * sign_out.lua on the user's slot (which also hand over the inbox, {@link RedisInboxes}); watchlists with their
 * reverse index (the watchers of a user, on the watched user's slot); which users are online, with the positions of
 * their own order.
 */
final class RedisUsers implements OnlineUsers {
    /** sign_in.lua's first reply for a banned user ({@link RedisBans}). */
    private static final long BANNED = -2;
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;
    private final NodeMirror mirror;

    RedisUsers(NodeShare share) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
        this.node = share.node;
        this.mirror = share.mirror;
    }

    @Override
    public CompletionStage<SignedIn> signIn(String appId, String userId, String userInfoJson,
                                            List<String> watchlist, Collection<String> channels, boolean repeat,
                                            int maxConnections) {
        boolean localFirst;
        CompletableFuture<Object> sent;
        NodeMirror.UserPart before;
        synchronized (mirror) {
            before = mirror.copyOfUser(appId, userId);
            boolean counts = !repeat || before == null || before.conns == 0;
            if (counts && maxConnections >= 0 && before != null && before.conns >= maxConnections) {
                // Over the limit on this node alone: no need to ask the cluster.
                return CompletableFuture.completedFuture(SignedIn.refusal());
            }
            localFirst = mirror.signIn(appId, userId, userInfoJson, watchlist, channels, repeat);
            if (localFirst) {
                share.indexApp(appId);
                share.index(keys.nodeUsers(node), RedisKeys.pair(appId, userId), true);
            }
            if (!link.isUp()) {
                share.dirty();
                return CompletableFuture.completedFuture(signedInAlone(localFirst));
            }
            List<String> args = new ArrayList<>();
            args.add(node);
            args.add(repeat ? "1" : "0");
            args.add(userInfoJson != null ? "1" : "0");
            args.add(userInfoJson != null ? userInfoJson : "");
            args.add(Integer.toString(watchlist.size()));
            args.add(Integer.toString(maxConnections));
            args.add(RedisChannels.publishCommand(link));
            args.add(onlineFrame(userId));
            args.addAll(watchlist);
            args.addAll(channels);
            sent = link.eval(Script.SIGN_IN, keys.signInKeys(appId, userId), args.toArray(String[]::new));
        }
        return sent.handle((r, err) -> {
            if (err != null) {
                share.failed(err);
                return CompletableFuture.completedFuture(signedInAlone(localFirst));
            }
            List<Object> reply = list(r);
            long decided = num(reply.get(0));
            if (decided < 0) {
                synchronized (mirror) {
                    if (mirror.undoSignIn(appId, userId, channels, before)) {
                        share.index(keys.nodeUsers(node), RedisKeys.pair(appId, userId), false);
                    }
                }
                return CompletableFuture.completedFuture(decided == BANNED
                        ? SignedIn.banned(Long.parseLong(String.valueOf(reply.get(1)))) : SignedIn.refusal());
            }
            List<String> previous = strings(reply.get(1));
            // The reverse watchers index lives on the watched users' slots: the sign-in is done once it is
            // written, so an erasure that follows (from any node) finds this user among the watchers.
            List<CompletableFuture<Long>> index = new ArrayList<>();
            for (String watched : watchlist) {
                index.add(share.fire(c -> c.sadd(keys.watchers(appId, watched), userId)));
            }
            for (String watched : previous) {
                if (!watchlist.contains(watched)) {
                    index.add(share.fire(c -> c.srem(keys.watchers(appId, watched), userId)));
                }
            }
            List<KeptEvent> missed = new ArrayList<>();
            int expired = InboxEntries.unexpired(strings(reply.get(2)), System.currentTimeMillis(), missed);
            long position = num(reply.get(4));
            SignedIn in = new SignedIn(flag(reply.get(0)), missed, expired, false, flag(reply.get(3)), position,
                    position > 0);
            return CompletableFuture.allOf(index.toArray(CompletableFuture[]::new)).<SignedIn>handle((v, e) -> in);
        }).thenCompose(Function.identity());
    }

    /** {@code holdMillis} &gt; 0: going offline is held for this node's webhook (OnlineUsers#signOut). */
    @Override
    public CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels, long holdMillis) {
        boolean localLast;
        CompletableFuture<Object> sent;
        synchronized (mirror) {
            localLast = mirror.signOut(appId, userId, channels);
            if (localLast) {
                share.index(keys.nodeUsers(node), RedisKeys.pair(appId, userId), false);
            }
            if (!link.isUp()) {
                share.dirty();
                return CompletableFuture.completedFuture(signedOutAlone(localLast));
            }
            List<String> args = new ArrayList<>();
            args.add(node);
            args.add(Long.toString(Math.max(0, holdMillis)));
            args.add(RedisChannels.publishCommand(link));
            args.add(offlineFrame(userId));
            args.addAll(channels);
            sent = link.eval(Script.SIGN_OUT, keys.signOutKeys(appId, userId), args.toArray(String[]::new));
        }
        return sent.handle((r, err) -> {
            if (err != null) {
                share.failed(err);
                return signedOutAlone(localLast);
            }
            List<Object> reply = list(r);
            if (!flag(reply.get(0))) {
                return new SignedOut(false);
            }
            unwatch(appId, userId, strings(reply, 2));
            return new SignedOut(true, holdMillis > 0, num(reply.get(1)), true);
        });
    }

    /**
     * The watchers' frames about one user, as the scripts that decide its online and offline publish them
     * (lib.lua, announce_watch): a user's changes reach every node in the order they were decided.
     */
    static String onlineFrame(String userId) {
        return RedisChannels.text(new ServerMessage.WatchlistEvents(List.of(userId), List.of()));
    }

    static String offlineFrame(String userId) {
        return RedisChannels.text(new ServerMessage.WatchlistEvents(List.of(), List.of(userId)));
    }

    /**
     * Decided by this node alone (Redis out of reach), outside the user's order: coming online or going offline makes
     * the node resign at its next good heartbeat (NodeLeases#decidedAlone).
     */
    private SignedIn signedInAlone(boolean cameOnline) {
        if (cameOnline) {
            share.decidedAlone("a user's coming online");
        }
        return new SignedIn(cameOnline);
    }

    private SignedOut signedOutAlone(boolean wentOffline) {
        if (wentOffline) {
            share.decidedAlone("a user's going offline");
        }
        return new SignedOut(wentOffline);
    }

    /** The user went offline: it no longer watches anyone (the reverse index the erasure reads). */
    void unwatch(String appId, String userId, List<String> watchlist) {
        for (String watched : watchlist) {
            share.fire(c -> c.srem(keys.watchers(appId, watched), userId));
        }
    }

    /**
     * Which users are online, each with the position of its watch order read just before (OnlineUsers.OnlineNow): a
     * watcher drops a change at or below it that reaches it later. The answer can reach the node after the pub/sub
     * messages of changes it does not hold yet (two connections), so without the position the read, older than
     * those changes, told the watcher a stale state last. Read first, on the same connection and slot as the
     * count, the position never claims a change the count does not hold. A read that fails leaves the watcher
     * without its watchlist's state: the node then resigns at its next good heartbeat, as for a change decided alone,
     * and the client is back with a fresh read.
     */
    @Override
    public CompletionStage<OnlineNow> onlineNow(String appId, Collection<String> userIds) {
        CompletionStage<OnlineNow> read = share.query(() -> {
            Map<String, CompletableFuture<String>> positions = new LinkedHashMap<>();
            Map<String, CompletableFuture<Long>> counts = new LinkedHashMap<>();
            for (String id : new TreeSet<>(userIds)) {
                positions.put(id, link.call(c -> c.get(keys.watchOrder(appId, id))));
                counts.put(id, link.call(c -> c.hlen(keys.userConns(appId, id))));
            }
            return CompletableFuture.allOf(counts.values().toArray(CompletableFuture[]::new))
                    .thenCombine(CompletableFuture.allOf(positions.values().toArray(CompletableFuture[]::new)),
                            (a, b) -> {
                                Set<String> online = new TreeSet<>();
                                Map<String, Long> at = new LinkedHashMap<>();
                                counts.forEach((id, f) -> {
                                    if (f.join() > 0) {
                                        online.add(id);
                                    }
                                    String p = positions.get(id).join();
                                    at.put(id, p == null ? 0L : Long.parseLong(p));
                                });
                                return new OnlineNow(online, at);
                            });
        });
        return read.whenComplete((v, err) -> {
            if (err != null) {
                share.decidedAlone("a watchlist's state at sign-in, which could not be read,");
            }
        });
    }

    @Override
    public CompletionStage<Set<String>> online(String appId, Collection<String> userIds) {
        return share.query(() -> {
            Map<String, CompletableFuture<Long>> each = new LinkedHashMap<>();
            for (String id : new TreeSet<>(userIds)) {
                each.put(id, link.call(c -> c.hlen(keys.userConns(appId, id))));
            }
            return CompletableFuture.allOf(each.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                Set<String> out = new TreeSet<>();
                each.forEach((id, f) -> {
                    if (f.join() > 0) {
                        out.add(id);
                    }
                });
                return out;
            });
        });
    }
}
