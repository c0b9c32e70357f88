package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.Bans;
import dev.switchboard.server.engine.ChannelWindows;
import dev.switchboard.server.engine.ChannelState;
import dev.switchboard.server.engine.ConnectionQuota;
import dev.switchboard.server.engine.HeldLeaves;
import dev.switchboard.server.engine.Inboxes;
import dev.switchboard.server.engine.OnlineUsers;
import dev.switchboard.server.engine.SharedState;
import dev.switchboard.server.engine.UserData;

/**
 * The ports on Redis, wired for one node. Every transition is decided by one Lua script on the slot of the thing it
 * is about (channel, user, app), so each is decided once per cluster: channels and presence in {@link RedisChannels},
 * users online in {@link RedisUsers}, inboxes in {@link RedisInboxes}, the user data API in {@link RedisUserData},
 * an app's connection quota in {@link RedisQuota}, the end of held leaves in {@link RedisHeldLeaves}, bans in
 * {@link RedisBans}. How this node's
 * writes reach Redis, and what it decides while Redis is away, is {@link NodeShare}'s; its heartbeat, the cleanup of
 * dead nodes, the write-back and the fence of a node declared dead are {@link NodeLeases}'. This class only builds
 * them, hands the ports out, and starts and stops the leases.
 */
public final class RedisState implements SharedState {
    private final NodeLeases leases;
    private final RedisChannels channels;
    private final RedisUsers users;
    private final RedisInboxes inboxes;
    private final RedisUserData userData;
    private final RedisQuota quota;
    private final RedisHeldLeaves heldLeaves;
    private final RedisBans bans;
    private final RedisChannelWindows windows;

    RedisState(RedisLink link, String nodeId, NodeFence fence) {
        NodeShare share = new NodeShare(link, nodeId, fence);
        // Set before any command is sent: Redis that lost the scripts lost what they wrote since the last write-back.
        link.onScriptsLost(share::dirty);
        this.channels = new RedisChannels(share);
        this.users = new RedisUsers(share);
        this.inboxes = new RedisInboxes(share);
        this.userData = new RedisUserData(share, users, inboxes);
        this.quota = new RedisQuota(share, fence);
        this.heldLeaves = new RedisHeldLeaves(share);
        this.bans = new RedisBans(share);
        this.windows = new RedisChannelWindows(share);
        this.leases = new NodeLeases(share, fence, channels, users, new NodePlaces(link));
    }

    @Override
    public void start(Transitions transitions) {
        leases.start(transitions);
    }

    int liveNodes() {
        return leases.liveNodes();
    }

    @Override
    public ChannelState channels() {
        return channels;
    }

    @Override
    public OnlineUsers users() {
        return users;
    }

    @Override
    public UserData userData() {
        return userData;
    }

    @Override
    public Inboxes inboxes() {
        return inboxes;
    }

    @Override
    public ConnectionQuota quota() {
        return quota;
    }

    @Override
    public HeldLeaves heldLeaves() {
        return heldLeaves;
    }

    @Override
    public Bans bans() {
        return bans;
    }

    @Override
    public ChannelWindows windows() {
        return windows;
    }

    /** SIGTERM: this node's remaining share is taken out at once (see {@link NodeLeases#leave}). */
    @Override
    public void close() {
        leases.leave();
    }

    /** As if the process were killed: stops renewing the lease and leaves everything in Redis behind (tests). */
    void abandon() {
        leases.stop();
    }
}
