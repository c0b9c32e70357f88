package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.StateUnavailableException;
import dev.switchboard.server.logging.RateLimitedLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How this node's share of the shared state reaches Redis, for the ports on Redis ({@link RedisChannels},
 * {@link RedisUsers}, {@link RedisUserData}, {@link RedisInboxes}, {@link RedisQuota}) and for {@link NodeLeases},
 * which writes it back. Each node changes only its own share (a hash field named after it, and its index sets of the
 * channels, users and apps it holds), which makes a dead node's share removable whole ({@link NodeLeases}) and this
 * node's share re-writable from its {@link NodeMirror} after an outage.
 *
 * <p>Writes never fail: each is applied to the mirror first, which gives the decision a lone node would make; that
 * decision is used when Redis does not answer (or is known to be down), and the node writes its share back once
 * Redis answers again. Queries fail while Redis is down. The mirror's monitor is held while a command is handed to
 * Lettuce (which only queues it), so Redis applies this node's changes in the order the mirror made them.
 */
final class NodeShare {
    /** Under the name of the {@code SharedState} implementation, the one a log configuration knows. */
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedisState.class);
    /** Commands run per subscribe, sign-in and query: a refusal that repeats must not log once per command. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);
    final RedisLink link;
    final RedisKeys keys;
    final String node;
    final NodeMirror mirror;
    /** Where a change this node decided alone asks the node to resign (see {@link #decidedAlone}). */
    private final NodeFence fence;
    /** Something this node did did not reach Redis: {@link NodeLeases} writes the whole share back. */
    private volatile boolean dirty;
    /** Presence changes Redis could not decide, waiting for it (a Redis Cluster failover). */
    final HeldPresence held;
    private final Set<String> indexedApps = new HashSet<>();

    NodeShare(RedisLink link, String node, NodeFence fence) {
        this.link = link;
        this.keys = link.keys;
        this.node = node;
        this.mirror = new NodeMirror();
        this.fence = fence;
        this.held = new HeldPresence(link.sharded() ? link.settings.presenceHoldMillis() : 0);
    }

    /** Something this node did did not reach Redis: write the whole share back at the next good heartbeat. */
    void dirty() {
        dirty = true;
    }

    /** Whether a write-back is due; cleared by the write-back, under the mirror's monitor. */
    boolean isDirty() {
        return dirty;
    }

    /** The write-back is about to put the mirror as it stands; under the mirror's monitor. */
    void cleaned() {
        dirty = false;
    }

    /**
     * A presence member's join or leave, or a user's online or offline, was decided by this node alone (Redis out of
     * reach): only its own clients heard of it, and a write-back would make it true in Redis silently, so the others'
     * rosters and watchlists would never learn it. At its next good heartbeat the node resigns instead, like a node
     * cut off for longer than the lease: its clients reconnect and rejoin through the cluster (docs/cluster.md).
     */
    void decidedAlone(String what) {
        fence.requestResign(what + " was decided while Redis was out of reach");
    }

    /** A query: fails at once while Redis is known to be down (the HTTP API answers 503). */
    <T> CompletionStage<T> query(java.util.function.Supplier<CompletableFuture<T>> q) {
        if (!link.isUp()) {
            return CompletableFuture.failedFuture(new StateUnavailableException(link.degradedReason()));
        }
        return q.get().whenComplete((v, err) -> {
            if (err != null) {
                failed(err);
            }
        });
    }

    /** The names of one app in the index sets of every node holding a lease (dead ones until cleaned). */
    CompletableFuture<Set<String>> indexed(Function<String, String> indexKey, String appId) {
        return link.call(c -> c.zrange(keys.nodes(), 0, -1)).thenCompose(nodes -> {
            List<CompletableFuture<Set<String>>> sets = new ArrayList<>();
            Set<String> all = new HashSet<>(nodes);
            all.add(node);
            for (String n : all) {
                sets.add(link.call(c -> c.smembers(indexKey.apply(n))));
            }
            return CompletableFuture.allOf(sets.toArray(CompletableFuture[]::new)).thenApply(v -> {
                Set<String> out = new TreeSet<>();
                for (CompletableFuture<Set<String>> s : sets) {
                    for (String member : s.join()) {
                        String[] pair = RedisKeys.unpair(member);
                        if (pair[0].equals(appId)) {
                            out.add(pair[1]);
                        }
                    }
                }
                return out;
            });
        });
    }

    /** Under the mirror's monitor. */
    void indexApp(String appId) {
        if (indexedApps.add(appId)) {
            index(keys.nodeApps(node), appId, true);
        }
    }

    /** Forgets which apps were indexed (Redis lost them); under the mirror's monitor. */
    void reindexApps(Collection<String> apps) {
        indexedApps.clear();
        indexedApps.addAll(apps);
    }

    /** Under the mirror's monitor, so adds and removes of one member reach Redis in order. */
    void index(String key, String member, boolean add) {
        if (link.isUp()) {
            fire(c -> add ? c.sadd(key, member) : c.srem(key, member));
        }
    }

    void send(Script script, String[] k, String... args) {
        if (!link.isUp()) {
            dirty();
            return;
        }
        link.eval(script, k, args).exceptionally(err -> {
            failed(err);
            return null;
        });
    }

    CompletableFuture<Long> fire(Function<io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String>,
            io.lettuce.core.RedisFuture<Long>> command) {
        return link.call(command).exceptionally(err -> {
            failed(err);
            return null;
        });
    }

    /**
     * A command failed: Redis is treated as down until the heartbeat succeeds, then this node writes back. An error
     * Redis answered with is not an outage but a bug; it is logged, and the write-back repairs this node's share.
     */
    void failed(Throwable err) {
        dirty();
        Throwable refusal = refusal(err);
        if (refusal != null) {
            limitedLog.error("refused", "Redis refused a command: {}", refusal.getMessage());
            return;
        }
        link.down(err);
    }

    /** Whether a failed command met an outage rather than a refusal that would repeat (see {@link #refusal}). */
    static boolean isOutage(Throwable err) {
        return refusal(err) == null;
    }

    /**
     * The error Redis answered a command with, unless it says the slot cannot be served now (CLUSTERDOWN while a
     * failed master is not replaced yet, TRYAGAIN, MASTERDOWN, LOADING: part of an outage, not a bug); null when
     * Redis did not answer at all.
     */
    private static Throwable refusal(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof io.lettuce.core.RedisCommandExecutionException) {
                String m = String.valueOf(t.getMessage());
                boolean unavailable = m.startsWith("CLUSTERDOWN") || m.startsWith("TRYAGAIN")
                        || m.startsWith("MASTERDOWN") || m.startsWith("LOADING");
                return unavailable ? null : t;
            }
        }
        return null;
    }
}
