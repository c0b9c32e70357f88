package dev.switchboard.server.cluster.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to Redis: the commands it sends (scripts by SHA, plain commands, frames) and its view of whether
 * Redis answers. Commands are rejected at once while a connection is down (never queued, {@link RedisClients}), so a
 * caller learns of an outage immediately and decides on its own. Up/down is judged by the heartbeat (and by any
 * command that fails), logged once per change, and is the node's degraded reason.
 *
 * <p>On a Redis Cluster ({@link RedisSettings#sharded()}) each command goes to the master of its key's slot (a script
 * to the slot of its first key; every script's keys share one slot by design, checked here before sending).
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    static {
        // Lettuce 7 moves its own connections to io_uring by itself once Netty's io_uring classes are on the class
        // path (they are, for transport=io_uring), and then no connection to Redis succeeded here: every Redis test
        // failed. Redis traffic is a few connections per node, so it stays on epoll/NIO unless the operator sets
        // -Dio.lettuce.core.iouring=true.
        if (System.getProperty("io.lettuce.core.iouring") == null) {
            System.setProperty("io.lettuce.core.iouring", "false");
        }
    }

    final RedisSettings settings;
    final RedisKeys keys;
    final ScheduledExecutorService scheduler;
    private final RedisClients clients;
    private volatile String degradedReason;
    /** An outage was logged and its end not yet (guarded by this). */
    private boolean outage;
    private volatile boolean closed;

    final AtomicLong roundTrips = new AtomicLong();
    final AtomicLong messagesIn = new AtomicLong();
    final AtomicLong messagesOut = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();

    RedisLink(RedisSettings settings) {
        this.settings = settings;
        this.keys = new RedisKeys(settings.prefix());
        this.scheduler = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "switchboard-redis");
            t.setDaemon(true);
            return t;
        });
        this.clients = new RedisClients(settings);
        this.degradedReason = "redis not reached yet (" + settings.shown() + ")";
    }

    /** True on a Redis Cluster: pub/sub is sharded. */
    boolean sharded() {
        return settings.sharded();
    }

    /** Runs {@code listener} whenever Lettuce sees the cluster's topology change (slots moved, a failover). */
    void onTopologyChange(Runnable listener) {
        clients.onTopologyChange(listener);
    }

    /** Opens the connections that are not open yet; false while Redis cannot be reached. */
    boolean connect() {
        if (closed) {
            return false;
        }
        try {
            clients.open();
            return true;
        } catch (RuntimeException e) {
            down(e);
            return false;
        }
    }

    /**
     * The heartbeat went unanswered on an open connection: the link may have fallen silent without closing, which
     * Lettuce cannot see, so the connections are dropped and opened anew at the next attempt.
     */
    void reset() {
        clients.drop();
        reconnects.incrementAndGet();
    }

    /**
     * A pub/sub connection of its own (the broker makes and re-makes it); on a Redis Cluster a
     * {@link io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection}, whose per-node connections carry
     * the sharded subscriptions.
     */
    StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        return clients.connectPubSub();
    }

    boolean isUp() {
        return degradedReason == null;
    }

    String degradedReason() {
        return degradedReason;
    }

    /**
     * Redis failed to answer: the first failure after a healthy spell is logged and becomes the degraded reason. A
     * failure while the node is still writing its share back belongs to the same outage and is not logged again:
     * during a Redis Cluster failover the heartbeat's shard may answer while the failed one does not yet, and each
     * attempt would otherwise log one more "unreachable" / "reachable again" pair.
     */
    void down(Throwable cause) {
        if (closed) {
            return;
        }
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        synchronized (this) {
            if (degradedReason != null && !degradedReason.startsWith("redis not reached yet")) {
                return;
            }
            degradedReason = "redis unreachable since " + Instant.now() + " (" + c.getClass().getSimpleName()
                    + ": " + c.getMessage() + "); serving this node's clients only";
            if (outage) {
                return;
            }
            outage = true;
        }
        log.warn("Redis {} unreachable, this node serves only its own clients until it is back: {}",
                settings.shown(), c.toString());
    }

    /**
     * The cluster declared this node dead ({@link NodeFence}): degraded whatever Redis does, so that nothing this
     * node's old connections do reaches Redis, until {@link #up()} after it rejoined.
     */
    void fence(String reason) {
        synchronized (this) {
            degradedReason = reason;
        }
    }

    /**
     * Redis answers again: commands are sent from now on (the node is writing its state back, and its later changes
     * must follow the write-back on the same connections). The outage ends with {@link #recovered()}.
     */
    void up() {
        synchronized (this) {
            degradedReason = null;
        }
    }

    /** The write-back after an outage went through: the outage is over (logged once, counted once). */
    void recovered() {
        synchronized (this) {
            if (!outage || degradedReason != null) {
                return;
            }
            outage = false;
        }
        reconnects.incrementAndGet();
        log.info("Redis {} reachable again; this node's state is written back", settings.shown());
    }

    /** Told when Redis answered NOSCRIPT: its script cache was lost (a restart, a promoted replica). */
    private volatile Runnable scriptsLost = () -> {};

    void onScriptsLost(Runnable r) {
        scriptsLost = r;
    }

    /**
     * Loads every script (on every master of a Redis Cluster), so that EVALSHA finds them. Done before a node writes
     * its share back: a script sent as EVALSHA that comes back NOSCRIPT is re-sent as EVAL after the reply, which
     * lets a later command on the same connection overtake it, so the cache must be full before the traffic starts.
     */
    CompletableFuture<Void> loadScripts() {
        RedisClients.Connected<String, String> c = clients.strings();
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to redis"));
        }
        List<CompletableFuture<String>> loads = new ArrayList<>();
        for (Script s : Script.values()) {
            roundTrips.incrementAndGet();
            loads.add(c.commands().scriptLoad(s.source).toCompletableFuture());
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
    }

    /** Runs a script (by SHA, loading it once more when Redis lost its script cache). */
    CompletableFuture<Object> eval(Script script, String[] keys, String... args) {
        RedisClients.Connected<String, String> c = clients.strings();
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to redis"));
        }
        if (settings.sharded() && !oneSlot(keys)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("script " + script.name()
                    + " takes keys of more than one slot: " + String.join(", ", keys)));
        }
        roundTrips.incrementAndGet();
        RedisClusterAsyncCommands<String, String> async = c.commands();
        RedisFuture<Object> f = async.evalsha(script.sha, ScriptOutputType.MULTI, keys, args);
        return f.toCompletableFuture().handle((r, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (e instanceof RedisNoScriptException) {
                // Commands sent after this one may have run before it: have the node write its share back.
                scriptsLost.run();
                roundTrips.incrementAndGet();
                return async.<Object>eval(script.source, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<Object>failedFuture(e);
        }).thenCompose(Function.identity());
    }

    /**
     * A script whose keys span slots would be refused by Redis Cluster (CROSSSLOT) and, worse, would work on one
     * Redis: refuse it here, with the script's name, so a key grouping mistake shows in the cluster tests.
     */
    static boolean oneSlot(String[] keys) {
        for (int i = 1; i < keys.length; i++) {
            if (SlotHash.getSlot(keys[i]) != SlotHash.getSlot(keys[0])) {
                return false;
            }
        }
        return true;
    }

    /**
     * One plain command on the state connection; on a Redis Cluster it goes to the master of its key's slot, so a
     * command is given keys of one slot only.
     */
    <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        RedisClients.Connected<String, String> c = clients.strings();
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to redis"));
        }
        roundTrips.incrementAndGet();
        return command.apply(c.commands()).toCompletableFuture();
    }

    /**
     * PUBLISH on the byte connection (SPUBLISH on a Redis Cluster: one shard, the one owning the channel's slot,
     * carries the message, instead of every shard); false when it could not even be sent.
     */
    boolean publish(byte[] channel, byte[] message) {
        RedisClients.Connected<byte[], byte[]> c = clients.bytes();
        if (c == null || !c.connection().isOpen()) {
            return false;
        }
        roundTrips.incrementAndGet();
        messagesOut.incrementAndGet();
        if (settings.sharded()) {
            c.commands().spublish(channel, message);
        } else {
            c.commands().publish(channel, message);
        }
        return true;
    }

    /** A probe of the pub/sub loop ({@link RedisBroker}): one round trip, not a message of the node's clients. */
    void publishProbe(byte[] channel, byte[] message) {
        RedisClients.Connected<byte[], byte[]> c = clients.bytes();
        if (c != null && c.connection().isOpen()) {
            roundTrips.incrementAndGet();
            c.commands().publish(channel, message);
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        clients.close();
    }
}
