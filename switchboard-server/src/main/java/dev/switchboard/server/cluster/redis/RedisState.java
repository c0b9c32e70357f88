package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;

import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.engine.ConnectionQuota;
import dev.switchboard.server.engine.HeldLeaves;
import dev.switchboard.server.engine.Inboxes;
import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.UserData;
import dev.switchboard.server.engine.UserErasure;
import dev.switchboard.server.engine.UserPage;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shared state in Redis, as the engine sees it. Every transition is decided by one Lua script on the slot of the
 * thing it is about (channel, user, app), so each is decided once per cluster: channels in {@link RedisChannels},
 * users in {@link RedisUsers}, an app's connection quota here (reserve.lua on the app's slot). How this node's
 * writes reach Redis, and what it decides while Redis is away, is {@link NodeShare}'s.
 *
 * <p>This is where a node is wired: its mirror, its {@link NodeLeases} (heartbeat, cleanup of dead nodes, write-back,
 * the fence of a node declared dead; new connections wait at the {@link NodeFence}'s gate) and the hook that marks
 * the share for write-back when Redis lost the scripts, set before any command is sent.
 */
public final class RedisState implements SharedState, ChannelState, OnlineUsers, UserData, Inboxes,
        ConnectionQuota, HeldLeaves {
    final RedisLink link;
    final RedisKeys keys;
    final String node;
    final NodeMirror mirror = new NodeMirror();
    final NodeLeases leases;
    private final NodeFence fence;
    volatile Transitions transitions;
    private final NodeShare share;
    private final RedisChannels redisChannels;
    private final RedisUsers redisUsers;

    RedisState(RedisLink link, String nodeId, NodeFence fence) {
        this.link = link;
        this.keys = link.keys;
        this.node = nodeId;
        this.fence = fence;
        this.leases = new NodeLeases(this, fence);
        link.onScriptsLost(leases::dirty);
        this.share = new NodeShare(link, nodeId, mirror, leases);
        this.redisChannels = new RedisChannels(share);
        this.redisUsers = new RedisUsers(share);
    }

    @Override
    public void start(Transitions transitions) {
        this.transitions = transitions;
        leases.start();
    }

    // ------------------------------------------------------------------ the ports (all this object, for now)

    @Override
    public ChannelState channels() {
        return this;
    }

    @Override
    public OnlineUsers users() {
        return this;
    }

    @Override
    public UserData userData() {
        return this;
    }

    @Override
    public Inboxes inboxes() {
        return this;
    }

    @Override
    public ConnectionQuota quota() {
        return this;
    }

    @Override
    public HeldLeaves heldLeaves() {
        return this;
    }

    int liveNodes() {
        return leases.liveNodes();
    }

    /** The presence changes waiting for Redis; released by {@link NodeLeases} after a write-back. */
    HeldPresence held() {
        return share.held;
    }

    // ------------------------------------------------------------------ connections

    @Override
    public CompletionStage<Boolean> reserveConnection(String appId, int max) {
        CompletableFuture<Void> gate = fence.gate();
        if (!gate.isDone()) {
            // fenced: the connection waits until this node has rejoined, then joins the normal way
            return gate.thenCompose(v -> reserveConnection(appId, max));
        }
        CompletableFuture<Object> sent;
        synchronized (mirror) {
            if (!mirror.reserve(appId, max)) {
                return CompletableFuture.completedFuture(false);
            }
            share.indexApp(appId);
            if (!link.isUp()) {
                leases.dirty();
                return CompletableFuture.completedFuture(true);
            }
            sent = link.eval(Script.RESERVE, new String[] {keys.appConns(appId)}, node, Integer.toString(max));
        }
        return sent.handle((r, err) -> {
            if (err != null) {
                share.failed(err);
                return true;
            }
            if (flag(list(r).get(0))) {
                return true;
            }
            synchronized (mirror) {
                mirror.release(appId);
            }
            return false;
        });
    }

    @Override
    public void releaseConnection(String appId) {
        synchronized (mirror) {
            mirror.release(appId);
            share.send(Script.RELEASE, new String[] {keys.appConns(appId)}, node);
        }
    }

    // ------------------------------------------------------------------ channels

    @Override
    public CompletionStage<Joined> join(String appId, String channel, Member member, String signedInUserId,
                                        int maxMembers) {
        return redisChannels.join(appId, channel, member, signedInUserId, maxMembers);
    }

    @Override
    public CompletionStage<Left> leave(String appId, String channel, String memberId, String signedInUserId,
                                       long holdMillis) {
        return redisChannels.leave(appId, channel, memberId, signedInUserId, holdMillis);
    }

    @Override
    public CompletionStage<ChannelStats> channel(String appId, String channel) {
        return redisChannels.channel(appId, channel);
    }

    @Override
    public CompletionStage<Map<String, ChannelStats>> channels(String appId, String prefix) {
        return redisChannels.channels(appId, prefix);
    }

    @Override
    public CompletionStage<List<String>> members(String appId, String channel) {
        return redisChannels.members(appId, channel);
    }

    @Override
    public void cachePut(String appId, String channel, CachedEvent event) {
        redisChannels.cachePut(appId, channel, event);
    }

    @Override
    public CompletionStage<CachedEvent> cacheGet(String appId, String channel) {
        return redisChannels.cacheGet(appId, channel);
    }

    // ------------------------------------------------------------------ users

    @Override
    public CompletionStage<SignedIn> signIn(String appId, String userId, String userInfoJson, List<String> watchlist,
                                            Collection<String> channels, boolean repeat, int maxConnections) {
        return redisUsers.signIn(appId, userId, userInfoJson, watchlist, channels, repeat, maxConnections);
    }

    @Override
    public CompletionStage<SignedOut> signOut(String appId, String userId, Collection<String> channels,
                                              long holdMillis) {
        return redisUsers.signOut(appId, userId, channels, holdMillis);
    }

    @Override
    public CompletionStage<Boolean> confirmHeld(String appId, Hold hold, String channel, String userId) {
        String key = hold == Hold.OFFLINE ? keys.userHeld(appId, userId) : keys.channelHeld(appId, channel);
        String field = switch (hold) {
            case VACANCY -> "v";
            case REMOVAL -> "m|" + userId;
            case OFFLINE -> "o";
        };
        return link.eval(Script.CONFIRM_HELD, new String[] {key}, field, node)
                .thenApply(r -> flag(list(r).get(0)));
    }

    @Override
    public CompletionStage<Set<String>> online(String appId, Collection<String> userIds) {
        return redisUsers.online(appId, userIds);
    }

    @Override
    public CompletionStage<OnlineNow> onlineNow(String appId, Collection<String> userIds) {
        return redisUsers.onlineNow(appId, userIds);
    }

    @Override
    public CompletionStage<UserSnapshot> user(String appId, String userId) {
        return redisUsers.user(appId, userId);
    }

    @Override
    public CompletionStage<Keep> keepIfOffline(String appId, String userId, KeptEvent event, int maxEvents) {
        return redisUsers.keepIfOffline(appId, userId, event, maxEvents);
    }

    @Override
    public CompletionStage<Inbox> inbox(String appId, String userId, boolean withEvents) {
        return redisUsers.inbox(appId, userId, withEvents);
    }

    @Override
    public CompletionStage<Integer> clearInbox(String appId, String userId) {
        return redisUsers.clearInbox(appId, userId);
    }

    @Override
    public CompletionStage<UserPage> users(String appId, String cursor, int limit) {
        return redisUsers.users(appId, cursor, limit);
    }

    @Override
    public CompletionStage<String> userInfo(String appId, String userId) {
        return redisUsers.userInfo(appId, userId);
    }

    @Override
    public CompletionStage<Boolean> updateUserInfo(String appId, String userId, String userInfoJson) {
        return redisUsers.updateUserInfo(appId, userId, userInfoJson);
    }

    @Override
    public CompletionStage<UserErasure> eraseUser(String appId, String userId) {
        return redisUsers.eraseUser(appId, userId);
    }

    // ------------------------------------------------------------------ close

    /** SIGTERM: this node's remaining share is taken out at once (see {@link NodeLeases#leave}). */
    @Override
    public void close() {
        leases.leave();
    }

    /** As if the process were killed: stops renewing the lease and leaves everything in Redis behind (tests). */
    void abandon() {
        leases.stop();
    }

    // ------------------------------------------------------------------ for the leases

    /** A dead node's user went offline ({@link NodeLeases}'s cleanup): it no longer watches anyone. */
    void unwatch(String appId, String userId, List<String> watchlist) {
        redisUsers.unwatch(appId, userId, watchlist);
    }

    /** The write-back puts the mirror's cache events again where Redis has none. */
    void putCache(String appId, String channel, CachedEvent event, boolean onlyIfAbsent) {
        redisChannels.putCache(appId, channel, event, onlyIfAbsent);
    }

    /** The write-back re-indexed exactly these apps; under the mirror's monitor. */
    void reindexApps(Collection<String> apps) {
        share.reindexApps(apps);
    }
}
