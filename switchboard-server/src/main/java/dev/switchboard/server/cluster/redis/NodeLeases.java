package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;
import static dev.switchboard.server.cluster.redis.Replies.strings;

import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.SharedState.Transitions;
import dev.switchboard.server.engine.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node liveness. Every heartbeat the node renews its lease (a score in the {@code {nodes}} ZSET) and, in the same
 * script, removes every lease that expired: the node whose script removed a lease is the only one that ever sees
 * it, so it alone takes the dead node's share out of every channel, user and app it indexed, and reports each
 * resulting transition once, and marks the node dead. A lease that was new to Redis (first start, Redis restarted
 * empty) and any write that failed make the node write its whole share back from its mirror.
 *
 * <p>A node that comes back and finds itself marked dead never writes back: the others already told everyone its
 * members left. It is fenced ({@link NodeFence}): it closes its clients with 4200, drops the pub/sub backlog of the
 * time it was dead, waits until its old share is out of Redis and rejoins with an empty share, so its clients come
 * back through the normal joins and everyone is told (member_added, online, webhooks), once.
 */
final class NodeLeases {
    private static final Logger log = LoggerFactory.getLogger(NodeLeases.class);
    private static final dev.switchboard.server.logging.RateLimitedLog limitedLog =
            new dev.switchboard.server.logging.RateLimitedLog(log);

    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;
    private final NodeMirror mirror;
    /** A dead node's user gone offline no longer watches anyone; cache events are written back. */
    private final RedisUsers redisUsers;
    private final RedisChannels redisChannels;
    private final NodePlaces places;
    /** Where the transitions this node decides for a dead node go (the engine); set by {@link #start}. */
    volatile Transitions transitions;
    private volatile int liveNodes = 1;
    private volatile ScheduledFuture<?> beat;
    private volatile boolean stopped;
    private final NodeFence fence;
    private final NodeRejoin rejoin;
    /** How long Redis remembers that a node was declared dead (a node cut off for longer is taken for new). */
    static final long DEAD_MARK_MILLIS = TimeUnit.DAYS.toMillis(1);
    /** When this node first tried to release held presence changes (0: none held). */
    private long releasingSince;

    NodeLeases(NodeShare share, NodeFence fence, RedisChannels channels, RedisUsers users, NodePlaces places) {
        this.share = share;
        this.fence = fence;
        this.link = share.link;
        this.keys = share.keys;
        this.node = share.node;
        this.mirror = share.mirror;
        this.redisChannels = channels;
        this.redisUsers = users;
        this.places = places;
        this.rejoin = new NodeRejoin(share, fence, this);
    }

    void start(Transitions transitions) {
        this.transitions = transitions;
        fence.arm();
        tick(); // the node starts registered (or degraded, with the reason), not one heartbeat later
        beat = link.scheduler.scheduleWithFixedDelay(this::tick, link.settings.heartbeatMillis(),
                link.settings.heartbeatMillis(),
                TimeUnit.MILLISECONDS);
    }

    int liveNodes() {
        return liveNodes;
    }

    private long timeoutMillis() {
        return link.settings.commandTimeout().toMillis();
    }

    private synchronized void tick() {
        if (stopped) {
            return;
        }
        synchronized (mirror) {
            share.held.expire();
        }
        try {
            if (!link.connect()) {
                return;
            }
            if (fence.fenced()) {
                rejoin.tick();
                return;
            }
            boolean resign = fence.resignRequested();
            long sent = System.nanoTime();
            Beat b = beat(resign ? "resign" : "beat");
            if (b.fenced) {
                rejoin.enter(resign ? "it resigned: " + fence.resignReason()
                        : "the other nodes declared it dead while it was cut off");
                return;
            }
            fence.renewed(sent);
            if (b.added || share.isDirty() || !link.isUp()) {
                writeBack();
            }
            releaseHeld();
            for (String dead : b.claimed) {
                log.info("Node {} missed its lease; removing its connections from the shared state", dead);
                cleanUp(dead);
            }
        } catch (Exception e) {
            if (!stopped && fence.fenced()) {
                // while fenced the link's reason stays "fenced", so nothing else would say why the rejoin waits
                limitedLog.warn("fenced-tick", "A heartbeat of this fenced node failed; trying again: {}", e.toString());
            }
            if (!stopped) {
                share.dirty();
                link.down(e);
                if (isTimeout(e)) {
                    link.reset();
                }
            }
        }
    }

    record Beat(boolean added, List<String> claimed, boolean fenced) {}

    /** One run of the heartbeat script in {@code mode} (beat, resign or rejoin). */
    Beat beat(String mode) throws Exception {
        List<Object> r = list(link.eval(Script.HEARTBEAT, new String[] {keys.nodes(), keys.cleanups(), keys.dead()},
                node, Integer.toString(link.settings.nodeTimeoutMillis()), mode,
                Long.toString(DEAD_MARK_MILLIS)).get(timeoutMillis(), TimeUnit.MILLISECONDS));
        liveNodes = (int) num(r.get(1));
        return new Beat(flag(r.get(0)), strings(r.get(2)), flag(r.get(3)));
    }

    /**
     * Best effort: on a Redis Cluster the load goes to every known master, and one that just failed is still known
     * until the topology refresh; a script missing anyway is re-sent as EVAL and marks the share dirty.
     */
    private void loadScripts() {
        try {
            link.loadScripts().get(timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.debug("Loading the scripts did not reach every Redis node: {}", e.toString());
        }
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.lettuce.core.RedisCommandTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes {@code dead}'s whole share out (the users' places in windowed channels, channels, users, quotas) and reports what that decides. Each
     * step is idempotent; when Redis fails half-way (or this node dies) the claim stays in the cleanups and expires,
     * so a later heartbeat (of any node) claims it again and finishes the rest.
     */
    void cleanUp(String dead) throws Exception {
        Transitions t = transitions;
        places.drop(dead); // first: connections of its users that came back elsewhere wait for these places
        for (String member : get(link.call(c -> c.smembers(keys.nodeChannels(dead))))) {
            String[] pair = RedisKeys.unpair(member);
            List<Object> r = list(get(link.eval(Script.DROP_NODE_CHANNEL, keys.channelKeysAndTopic(pair[0], pair[1]),
                    dead, node, RedisChannels.publishCommand(link), RedisChannels.removedFramePrefix(pair[1]))));
            for (int i = 3; i + 1 < r.size(); i += 2) { // published by the script, in the channel's order
                t.memberRemoved(pair[0], pair[1], (String) r.get(i), num(r.get(i + 1)));
            }
            if (flag(r.get(2))) {
                t.subscriptionCountChanged(pair[0], pair[1], (int) num(r.get(1)));
            }
            if (flag(r.get(0))) {
                t.channelVacated(pair[0], pair[1]);
            }
        }
        for (String member : get(link.call(c -> c.smembers(keys.nodeUsers(dead))))) {
            String[] pair = RedisKeys.unpair(member);
            List<Object> r = list(get(link.eval(Script.DROP_NODE_USER, keys.dropUserKeys(pair[0], pair[1]), dead,
                    node, RedisChannels.publishCommand(link), RedisUsers.offlineFrame(pair[1]))));
            if (flag(r.get(0))) {
                redisUsers.unwatch(pair[0], pair[1], strings(r, 2));
                t.userOffline(pair[0], pair[1], num(r.get(1)));
            }
        }
        for (String app : get(link.call(c -> c.smembers(keys.nodeApps(dead))))) {
            get(link.call(c -> c.hdel(keys.appConns(app), dead)));
        }
        get(link.call(c -> c.del(keys.nodeChannels(dead), keys.nodeUsers(dead), keys.nodeApps(dead))));
        get(link.call(c -> c.zrem(keys.cleanups(), dead)));
    }

    private <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Makes Redis hold exactly this node's mirror: what Redis still lists for this node but the mirror no longer
     * has is dropped, the rest is written as absolute values (never increments), so writing back twice is harmless.
     * The mirror's monitor is held while the commands are queued, and the link is marked up inside it, so every
     * later change of this node reaches Redis after the write-back.
     */
    void writeBack() throws Exception {
        loadScripts();
        Set<String> oldChannels = get(link.call(c -> c.smembers(keys.nodeChannels(node))));
        Set<String> oldUsers = get(link.call(c -> c.smembers(keys.nodeUsers(node))));
        Set<String> oldApps = get(link.call(c -> c.smembers(keys.nodeApps(node))));
        List<CompletableFuture<?>> sent = new ArrayList<>();
        NodeMirror m = mirror;
        synchronized (m) {
            share.cleaned();
            Set<String> channels = new HashSet<>();
            Set<String> users = new HashSet<>();
            Set<String> apps = new HashSet<>(m.reserved.keySet());
            for (NodeMirror.Key k : m.channels.keySet()) {
                channels.add(RedisKeys.pair(k.app(), k.name()));
                apps.add(k.app());
            }
            for (NodeMirror.Key k : m.users.keySet()) {
                users.add(RedisKeys.pair(k.app(), k.name()));
                apps.add(k.app());
            }
            for (String old : oldChannels) {
                if (!channels.contains(old)) {
                    String[] p = RedisKeys.unpair(old);
                    sent.add(link.eval(Script.DROP_NODE_CHANNEL, keys.channelKeys(p[0], p[1]), node));
                }
            }
            for (String old : oldUsers) {
                if (!users.contains(old)) {
                    String[] p = RedisKeys.unpair(old);
                    // Its share gone may take the user offline: announced like any going offline.
                    sent.add(link.eval(Script.DROP_NODE_USER, keys.dropUserKeys(p[0], p[1]), node, node,
                            RedisChannels.publishCommand(link), RedisUsers.offlineFrame(p[1])));
                }
            }
            for (String app : oldApps) {
                if (!m.reserved.containsKey(app)) {
                    sent.add(link.call(c -> c.hdel(keys.appConns(app), node)));
                }
            }
            sent.add(link.call(c -> c.del(keys.nodeChannels(node), keys.nodeUsers(node), keys.nodeApps(node))));
            if (!channels.isEmpty()) {
                sent.add(link.call(c -> c.sadd(keys.nodeChannels(node), channels.toArray(String[]::new))));
            }
            if (!users.isEmpty()) {
                sent.add(link.call(c -> c.sadd(keys.nodeUsers(node), users.toArray(String[]::new))));
            }
            if (!apps.isEmpty()) {
                sent.add(link.call(c -> c.sadd(keys.nodeApps(node), apps.toArray(String[]::new))));
            }
            share.reindexApps(apps);
            for (Map.Entry<String, Integer> e : m.reserved.entrySet()) {
                sent.add(link.call(c -> c.hset(keys.appConns(e.getKey()), node, e.getValue().toString())));
            }
            for (Map.Entry<NodeMirror.Key, NodeMirror.ChannelPart> e : m.channels.entrySet()) {
                List<String> args = new ArrayList<>();
                args.add(node);
                args.add(Integer.toString(e.getValue().sockets));
                e.getValue().members.forEach((user, part) -> {
                    args.add(user);
                    args.add(Integer.toString(part.sockets));
                    args.add(part.info != null ? "1" : "0");
                    args.add(part.info != null ? part.info : "");
                });
                sent.add(link.eval(Script.PUT_NODE_CHANNEL, keys.channelKeys(e.getKey().app(), e.getKey().name()),
                        args.toArray(String[]::new)));
            }
            for (Map.Entry<NodeMirror.Key, NodeMirror.UserPart> e : m.users.entrySet()) {
                NodeMirror.UserPart u = e.getValue();
                List<String> args = new ArrayList<>();
                args.add(node);
                args.add(Integer.toString(u.conns));
                args.add(u.info != null ? "1" : "0");
                args.add(u.info != null ? u.info : "");
                args.add(Integer.toString(u.watchlist.size()));
                args.addAll(u.watchlist);
                u.channels.forEach((ch, n) -> {
                    args.add(ch);
                    args.add(n.toString());
                });
                String app = e.getKey().app();
                String user = e.getKey().name();
                sent.add(link.eval(Script.PUT_NODE_USER, keys.userKeys(app, user), args.toArray(String[]::new)));
                for (String watched : u.watchlist) {
                    sent.add(link.call(c -> c.sadd(keys.watchers(app, watched), user)));
                }
            }
            link.up();
            m.caches.values().removeIf(e -> e.expiresAtMillis() <= System.currentTimeMillis());
            for (Map.Entry<NodeMirror.Key, CachedEvent> e : m.caches.entrySet()) {
                redisChannels.putCache(e.getKey().app(), e.getKey().name(), e.getValue(), true);
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(timeoutMillis(), TimeUnit.MILLISECONDS);
        link.recovered();
    }

    /**
     * Presence changes Redis could not decide ({@link HeldPresence}) are decided once this node's share is back and,
     * per channel, every node holding sockets in it, and this one, listens on its shard again: the announcement is
     * published once, and a node that re-subscribes later would miss it (the joiner itself gets the roster from the
     * script). A node that never does (it died and its lease runs out; this node's last socket there left) delays
     * them one node timeout at most.
     */
    private void releaseHeld() throws Exception {
        Set<NodeMirror.Key> channels;
        synchronized (mirror) {
            channels = share.held.channels();
        }
        if (channels.isEmpty()) {
            releasingSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (releasingSince == 0) {
            releasingSince = now;
        }
        boolean waitedEnough = now - releasingSince > TimeUnit.MILLISECONDS.toNanos(link.settings.nodeTimeoutMillis());
        Set<NodeMirror.Key> ready = new HashSet<>();
        for (NodeMirror.Key k : channels) {
            if (waitedEnough) {
                ready.add(k);
                continue;
            }
            List<Object> r = list(get(link.eval(Script.LISTENERS, new String[] {keys.channelKeys(k.app(), k.name())[0]},
                    keys.topicChannel(Topic.channel(k.app(), k.name())), node)));
            if (num(r.get(1)) >= num(r.get(0))) {
                ready.add(k);
            }
        }
        synchronized (mirror) {
            share.held.release(ready);
        }
    }

    /**
     * SIGTERM. The engine closes this node's sockets before the cluster closes, and each of their leaves and
     * sign-outs is decided (and emitted) the normal way, ahead of this on the same connection; what is left is
     * what the engine never released, which is taken out like a dead node's share, its transitions reported too.
     * Then the lease goes, so the other nodes count one node fewer at once.
     */
    void leave() {
        stop();
        if (!link.isUp()) {
            return;
        }
        try {
            cleanUp(node);
            get(link.call(c -> c.zrem(keys.nodes(), node)));
        } catch (Exception e) {
            log.warn("Could not remove this node's state from Redis on shutdown; another node will once its "
                    + "lease expires: {}", e.toString());
        }
    }

    /** No more heartbeats (close, or a simulated crash). */
    void stop() {
        stopped = true;
        ScheduledFuture<?> b = beat;
        if (b != null) {
            b.cancel(false);
        }
    }
}
