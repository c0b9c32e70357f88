package dev.switchboard.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A real Redis Cluster owned by one test: six {@link RedisServer}s on free ports, each with cluster mode on and its
 * own cluster config file in its own temporary directory, joined by {@code redis-cli --cluster create} into three
 * masters with one replica each. Persistence is off, so a killed master loses its data; its replica has a copy
 * and takes over. The cluster node timeout is short ({@value #NODE_TIMEOUT_MILLIS} ms) so that a failover takes
 * a couple of seconds, not the default fifteen; {@link #start(int)} takes another (the failover scenarios run at
 * common ones).
 */
public final class RedisClusterServer implements AutoCloseable {
    public static final int NODE_TIMEOUT_MILLIS = 1000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> servers = new ArrayList<>();
    private final int nodeTimeoutMillis;
    /** A failover takes about two node timeouts, and the cluster is formed once before: room for both. */
    private final Duration readyTimeout;

    private RedisClusterServer(int nodeTimeoutMillis) {
        this.nodeTimeoutMillis = nodeTimeoutMillis;
        this.readyTimeout = READY_TIMEOUT.plusMillis(4L * nodeTimeoutMillis);
    }

    /** Six servers, three masters and three replicas, cluster_state:ok on every one. */
    public static RedisClusterServer start() {
        return start(NODE_TIMEOUT_MILLIS);
    }

    /** The same with {@code cluster-node-timeout} set to {@code nodeTimeoutMillis}. */
    public static RedisClusterServer start(int nodeTimeoutMillis) {
        RedisClusterServer cluster = new RedisClusterServer(nodeTimeoutMillis);
        try {
            for (int i = 0; i < 6; i++) {
                cluster.servers.add(RedisServer.start(null, "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Integer.toString(nodeTimeoutMillis)));
            }
            cluster.create();
            cluster.awaitHealthy();
            cluster.awaitReplicasInSync();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void create() {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (RedisServer s : servers) {
            cmd.add(s.host() + ":" + s.port());
        }
        cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli (Debian package redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code cluster-node-timeout} of every server. */
    public int nodeTimeoutMillis() {
        return nodeTimeoutMillis;
    }

    /** Every running server says cluster_state:ok and the running masters cover the slots. */
    public void awaitHealthy() {
        Awaitility.await("redis cluster state ok").atMost(readyTimeout).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> running().stream().allMatch(s -> s.command("CLUSTER", "INFO").contains("cluster_state:ok"))
                        && masters().size() == 3);
    }

    /**
     * Every replica has its master's data: a replica whose first sync has not finished refuses to take over (its
     * data is "too old"), so a master killed before that would never be replaced.
     */
    public void awaitReplicasInSync() {
        Awaitility.await("redis cluster replicas in sync").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> running().stream().filter(s -> s.command("ROLE").startsWith("slave"))
                        .allMatch(s -> s.command("INFO", "replication").contains("master_link_status:up")));
    }

    /** The seed URLs (every server), comma-separated, as {@code redis_cluster} takes them. */
    public String urls() {
        return servers.stream().map(RedisServer::url).collect(Collectors.joining(","));
    }

    public List<RedisServer> servers() {
        return List.copyOf(servers);
    }

    /** The running servers that are masters now (by their own word). */
    public List<RedisServer> masters() {
        return running().stream().filter(s -> s.command("ROLE").startsWith("master")).collect(Collectors.toList());
    }

    /** The master that holds {@code key}'s slot now (by its own CLUSTER NODES "myself" line). */
    public RedisServer masterOf(String key) {
        return masterOfSlot(slotOf(key));
    }

    /** The slot of {@code key}, as the cluster computes it. */
    public int slotOf(String key) {
        return Integer.parseInt(masters().get(0).command("CLUSTER", "KEYSLOT", key).replace(":", "").trim());
    }

    /** The master that holds {@code slot} now. */
    public RedisServer masterOfSlot(int slot) {
        for (RedisServer m : masters()) {
            for (String line : m.command("CLUSTER", "NODES").split("\n")) {
                if (line.contains("myself") && owns(line, slot)) {
                    return m;
                }
            }
        }
        throw new IllegalStateException("no running master owns slot " + slot);
    }

    private static boolean owns(String nodesLine, int slot) {
        String[] f = nodesLine.trim().split(" ");
        for (int i = 8; i < f.length; i++) {
            String range = f[i];
            if (range.startsWith("[")) {
                continue; // a slot being migrated
            }
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * kill -9 of {@code master}, then waits until one of its replicas is master for its slots and the cluster is ok
     * again. Answers how long that took (the Redis side of a failover).
     */
    public Duration killMasterAndAwaitFailover(RedisServer master) {
        long start = System.nanoTime();
        master.kill();
        awaitHealthy();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private List<RedisServer> running() {
        return servers.stream().filter(RedisServer::isRunning).collect(Collectors.toList());
    }

    /** Removes every key on every master (between tests). */
    public void flushAll() {
        for (RedisServer m : masters()) {
            m.command("FLUSHALL");
        }
    }

    /** Total of one {@code INFO commandstats} counter over the running masters: calls of {@code command}. */
    public long calls(String command) {
        long total = 0;
        for (RedisServer m : masters()) {
            for (String line : m.command("INFO", "commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_" + command + ":calls=")) {
                    int from = line.indexOf('=') + 1;
                    total += Long.parseLong(line.substring(from, line.indexOf(',', from)));
                }
            }
        }
        return total;
    }

    @Override
    public void close() {
        for (RedisServer s : servers) {
            s.close();
        }
        servers.clear();
    }
}
