package dev.switchboard.server.cluster.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connections to Redis and its view of whether Redis answers. Commands are rejected at once while a
 * connection is down (never queued), so a caller learns of an outage immediately and decides on its own; Lettuce
 * reconnects in the background every 200 ms. Up/down is judged by the heartbeat (and by any command that fails),
 * logged once per change, and is the node's degraded reason.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    final RedisSettings settings;
    final RedisKeys keys;
    final ScheduledExecutorService scheduler;
    private final ClientResources resources;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> strings;
    private volatile StatefulRedisConnection<byte[], byte[]> bytes;
    private volatile String degradedReason;
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
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofMillis(200))).build();
        RedisURI uri = RedisURI.create(settings.url());
        uri.setTimeout(connectTimeout(settings)); // the handshake; commands have their own, shorter timeout
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(settings)).keepAlive(true).build())
                .build());
        this.degradedReason = "redis not reached yet (" + redacted(settings.url()) + ")";
    }

    /** A TLS handshake and the first connection of a JVM take longer than one command. */
    private static Duration connectTimeout(RedisSettings settings) {
        return settings.commandTimeout().compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
                : settings.commandTimeout();
    }

    /** Opens the connections that are not open yet; false while Redis cannot be reached. */
    boolean connect() {
        if (closed) {
            return false;
        }
        try {
            if (strings == null) {
                strings = client.connect(StringCodec.UTF8);
            }
            if (bytes == null) {
                bytes = client.connect(ByteArrayCodec.INSTANCE);
            }
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
        StatefulRedisConnection<String, String> s = strings;
        StatefulRedisConnection<byte[], byte[]> b = bytes;
        strings = null;
        bytes = null;
        if (s != null) {
            s.closeAsync();
        }
        if (b != null) {
            b.closeAsync();
        }
        reconnects.incrementAndGet();
    }

    /** A pub/sub connection of its own (the broker makes and re-makes it). */
    StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        return client.connectPubSub(ByteArrayCodec.INSTANCE);
    }

    boolean isUp() {
        return degradedReason == null;
    }

    String degradedReason() {
        return degradedReason;
    }

    /** Redis failed to answer: the first failure after a healthy spell is logged and becomes the degraded reason. */
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
        }
        log.warn("Redis {} unreachable, this node serves only its own clients until it is back: {}",
                redacted(settings.url()), c.toString());
    }

    /** Redis answers again (after the node wrote its state back). */
    void up() {
        String was;
        synchronized (this) {
            was = degradedReason;
            degradedReason = null;
        }
        if (was != null && !was.startsWith("redis not reached yet")) {
            reconnects.incrementAndGet();
            log.info("Redis {} reachable again; this node's state is written back", redacted(settings.url()));
        }
    }

    /** Runs a script (by SHA, loading it once more when Redis lost its script cache). */
    CompletableFuture<Object> eval(Script script, String[] keys, String... args) {
        StatefulRedisConnection<String, String> c = strings;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to redis"));
        }
        roundTrips.incrementAndGet();
        RedisAsyncCommands<String, String> async = c.async();
        RedisFuture<Object> f = async.evalsha(script.sha, ScriptOutputType.MULTI, keys, args);
        return f.toCompletableFuture().handle((r, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (e instanceof RedisNoScriptException) {
                roundTrips.incrementAndGet();
                return async.<Object>eval(script.source, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<Object>failedFuture(e);
        }).thenCompose(Function.identity());
    }

    /** One plain command on the state connection. */
    <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, String> c = strings;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to redis"));
        }
        roundTrips.incrementAndGet();
        return command.apply(c.async()).toCompletableFuture();
    }

    /** PUBLISH on the byte connection; false when it could not even be sent. */
    boolean publish(byte[] channel, byte[] message) {
        StatefulRedisConnection<byte[], byte[]> c = bytes;
        if (c == null || !c.isOpen()) {
            return false;
        }
        roundTrips.incrementAndGet();
        messagesOut.incrementAndGet();
        c.async().publish(channel, message);
        return true;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            if (strings != null) {
                strings.close();
            }
            if (bytes != null) {
                bytes.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** The URL without its password, for logs and /up. */
    static String redacted(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        return at < 0 || scheme < 0 ? url : url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
    }
}
