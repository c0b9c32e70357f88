package dev.switchboard.server.cluster.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce side of a {@link RedisLink}: the client made for one Redis or for a Redis Cluster, with options that
 * reject commands at once while a connection is down (never queued) and reconnect in the background every 200 ms,
 * and this node's two connections (text for the state's commands, bytes for frames). Whether Redis answers, and
 * what is sent on them, is the link's business.
 *
 * <p>On a Redis Cluster ({@link RedisSettings#sharded()}) the cluster client sends each command to the master of its
 * key's slot. The topology is refreshed when Redis hints at a change (MOVED, ASK, a node that keeps refusing
 * connections, an uncovered slot) and every few seconds, so a replica that took over from a failed master is used
 * without a restart.
 */
final class RedisClients {

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final List<Runnable> topologyListeners = new CopyOnWriteArrayList<>();
    private volatile Connected<String, String> strings;
    private volatile Connected<byte[], byte[]> bytes;

    /** A connection and its commands: one Redis or a Redis Cluster, the same command interface. */
    record Connected<K, V>(StatefulConnection<K, V> connection, RedisClusterAsyncCommands<K, V> commands) {}

    RedisClients(RedisSettings settings) {
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofMillis(200))).build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout(settings)).keepAlive(true).build();
        if (settings.sharded()) {
            List<RedisURI> seeds = new ArrayList<>();
            for (String seed : settings.seeds()) {
                RedisURI uri = RedisURI.create(seed.trim());
                uri.setTimeout(connectTimeout(settings));
                seeds.add(uri);
            }
            RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
            cluster.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                    .socketOptions(socket)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            // a failover shows in steps (master unreachable, then flagged failed, then a replica
                            // promoted): each step may trigger a refresh, not only the first in 30 s (the default)
                            .adaptiveRefreshTriggersTimeout(settings.heartbeat())
                            .refreshTriggersReconnectAttempts(2)
                            .enablePeriodicRefresh(Duration.ofMillis(5L * settings.heartbeatMillis()))
                            .build())
                    .build());
            this.client = cluster;
        } else {
            RedisURI uri = RedisURI.create(settings.url());
            uri.setTimeout(connectTimeout(settings)); // the handshake; commands have their own, shorter timeout
            RedisClient single = RedisClient.create(resources, uri);
            single.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                    .socketOptions(socket)
                    .build());
            this.client = single;
        }
        resources.eventBus().get().subscribe(e -> {
            if (e instanceof ClusterTopologyChangedEvent) {
                topologyListeners.forEach(Runnable::run);
            }
        });
    }

    /** A TLS handshake and the first connection of a JVM take longer than one command. */
    private static Duration connectTimeout(RedisSettings settings) {
        return settings.commandTimeout().compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
                : settings.commandTimeout();
    }

    private <K, V> Connected<K, V> open(RedisCodec<K, V> codec) {
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<K, V> c = cluster.connect(codec);
            return new Connected<>(c, c.async());
        }
        StatefulRedisConnection<K, V> c = ((RedisClient) client).connect(codec);
        return new Connected<>(c, c.async());
    }

    /** Opens the connections that are not open yet; throws while Redis cannot be reached. */
    void open() {
        if (strings == null) {
            strings = open(StringCodec.UTF8);
        }
        if (bytes == null) {
            bytes = open(ByteArrayCodec.INSTANCE);
        }
    }

    /** Drops both connections; the next {@link #open} makes them anew. */
    void drop() {
        Connected<String, String> s = strings;
        Connected<byte[], byte[]> b = bytes;
        strings = null;
        bytes = null;
        if (s != null) {
            s.connection().closeAsync();
        }
        if (b != null) {
            b.connection().closeAsync();
        }
    }

    /** The state's connection; null while not open. */
    Connected<String, String> strings() {
        return strings;
    }

    /** The frames' connection; null while not open. */
    Connected<byte[], byte[]> bytes() {
        return bytes;
    }

    /**
     * A pub/sub connection of its own; on a Redis Cluster a
     * {@link io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection}, whose per-node connections carry
     * the sharded subscriptions.
     */
    StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        if (client instanceof RedisClusterClient cluster) {
            return cluster.connectPubSub(ByteArrayCodec.INSTANCE);
        }
        return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
    }

    /** Runs {@code listener} whenever Lettuce sees the cluster's topology change (slots moved, a failover). */
    void onTopologyChange(Runnable listener) {
        topologyListeners.add(listener);
    }

    void close() {
        try {
            if (strings != null) {
                strings.connection().close();
            }
            if (bytes != null) {
                bytes.connection().close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
