package dev.switchboard.server.cluster.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.logging.RateLimitedLog;
import dev.switchboard.server.webhooks.QueuedBatch;
import dev.switchboard.server.webhooks.WebhookQueue;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.models.stream.PendingMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook queue of a cluster node: one Redis stream per target (app, URL), with one consumer group, each node a
 * consumer under its node id (docs/webhooks.md, "Delivery"). A batch is added and read by its node in one script
 * ({@code webhook_append.lua}), so it is pending for that node; it is acknowledged and deleted
 * ({@code webhook_ack.lua}) once delivered or given up. A node whose lease is gone from {@code {nodes}} (NodeLeases:
 * expired and removed by a heartbeat, or dropped at SIGTERM) owes nothing any more: every node looks, once per
 * heartbeat, for such nodes among those that kept batches, and claims their pending entries ({@code XCLAIM} with a
 * minimum idle time of one lease, so that two claimers never both get an entry, and a node whose lease was only just
 * written is never robbed).
 *
 * <p>Keys: the stream {@code <prefix>:{w:<app>:<hash of the URL>}:q} (targets spread over the slots of a Redis
 * Cluster; the hash keeps URLs, which may hold tokens, out of key names); the nodes that ever kept a batch,
 * {@code <prefix>:{w}:owners}; and per node the streams it used, {@code <prefix>:{n:<node>}:wq}. Both indexes are
 * written before a node's first batch in a stream (and again every minute, in case Redis lost them), so a batch is
 * never in a stream its claimer cannot find.
 */
final class RedisWebhookQueue implements WebhookQueue {
    private static final Logger LOG = LoggerFactory.getLogger(RedisWebhookQueue.class);
    static final String GROUP = "switchboard";
    private static final long REINDEX_MILLIS = 60_000;
    /** Entries claimed per stream and dead node per scan; the rest at the next scan. */
    private static final int CLAIM_BATCH = 100;

    private final RedisLink link;
    private final String node;
    private final RateLimitedLog log = new RateLimitedLog(LOG);
    /** Batch id → {stream, entry id}: what its acknowledgement names. */
    private final Map<String, String[]> entries = new ConcurrentHashMap<>();
    /** Acknowledgements that failed, {stream, entry id}, tried again at the next claim tick. */
    private final java.util.Queue<String[]> unacked = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Stream → when this node last wrote it into the indexes. */
    private final Map<String, Long> indexed = new ConcurrentHashMap<>();

    RedisWebhookQueue(RedisLink link, String node) {
        this.link = link;
        this.node = node;
    }

    String stream(String appId, String url) {
        return link.keys.prefix() + ":{w:" + appId + ":" + hash(url) + "}:q";
    }

    String owners() {
        return link.keys.prefix() + ":{w}:owners";
    }

    String streamsOf(String n) {
        return link.keys.prefix() + ":{n:" + n + "}:wq";
    }

    @Override
    public CompletionStage<Void> append(QueuedBatch b) {
        if (!link.isUp()) {
            // out of reach (or fenced): sent from memory at once rather than after a command timeout
            return CompletableFuture.failedFuture(new IllegalStateException(link.degradedReason()));
        }
        String stream = stream(b.appId(), b.url());
        return index(stream).thenCompose(indexedNow -> link.eval(Script.WEBHOOK_APPEND, new String[] {stream},
                args(b)).thenAccept(reply -> {
                    List<Object> r = Replies.list(reply);
                    entries.put(b.id(), new String[] {stream, (String) r.get(0)});
                    if (Replies.flag(r.get(1)) && !indexedNow) {
                        indexed.remove(stream); // made anew: Redis may have lost the indexes with it
                    }
                }));
    }

    /** Writes the stream into both indexes before this node's first batch there (and once a minute); true if now. */
    private CompletableFuture<Boolean> index(String stream) {
        Long at = indexed.get(stream);
        long now = System.currentTimeMillis();
        if (at != null && now - at < REINDEX_MILLIS) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Long> a = link.call(c -> c.sadd(owners(), node));
        CompletableFuture<Long> s = link.call(c -> c.sadd(streamsOf(node), stream));
        return CompletableFuture.allOf(a, s).thenApply(v -> {
            indexed.put(stream, now);
            return true;
        });
    }

    private String[] args(QueuedBatch b) {
        return new String[] {GROUP, node, "id", b.id(), "app", b.appId(), "key", b.appKey(), "url", b.url(),
            "headers", WireCodec.write(b.headers()), "sig", b.signature(), "n", Integer.toString(b.events()),
            "t", Long.toString(b.timeMillis()), "body", new String(b.body(), StandardCharsets.UTF_8)};
    }

    @Override
    public void ack(QueuedBatch b) {
        String[] e = entries.remove(b.id());
        if (e != null) {
            ack(e);
        }
    }

    /**
     * An acknowledgement that fails (Redis out of reach) is tried again at every claim tick, so that a node that lives
     * on does not keep delivered batches pending for ever; until it goes through, the batch would be sent again by
     * whoever claims it (a node cut off longer than its lease is claimed from while cut off).
     */
    private void ack(String[] e) {
        link.eval(Script.WEBHOOK_ACK, new String[] {e[0]}, GROUP, e[1]).whenComplete((r, error) -> {
            if (error != null) {
                unacked.add(e);
                log.warn("ack", "A webhook batch could not be acknowledged in Redis (" + error + "); trying again");
            }
        });
    }

    /** Off the webhook thread: a few commands per dead node and stream, each bounded by the command timeout. */
    @Override
    public CompletionStage<List<QueuedBatch>> claim() {
        if (!link.isUp()) {
            // nothing to learn from a Redis out of reach, and the scheduler's threads are the heartbeat's too
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return claimNow();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, link.scheduler);
    }

    private List<QueuedBatch> claimNow() throws Exception {
        for (String[] e; (e = unacked.poll()) != null; ) {
            ack(e);
        }
        List<QueuedBatch> out = new ArrayList<>();
        Set<String> owners = get(link.call(c -> c.smembers(owners())));
        if (!owners.contains(node) && !indexed.isEmpty()) {
            // forgotten while this node had no lease (cut off, fenced) or lost by Redis: in the indexes again now,
            // not at the next minute, so that what it keeps from now on can be found if it dies
            for (String stream : indexed.keySet()) {
                get(link.call(c -> c.sadd(streamsOf(node), stream)));
            }
            get(link.call(c -> c.sadd(owners(), node)));
        }
        if (owners.isEmpty() || owners.equals(Set.of(node))) {
            return out;
        }
        Set<String> live = Set.copyOf(get(link.call(c -> c.zrange(link.keys.nodes(), 0, -1))));
        for (String dead : owners) {
            if (dead.equals(node) || live.contains(dead)) {
                continue;
            }
            boolean left = false;
            for (String stream : get(link.call(c -> c.smembers(streamsOf(dead))))) {
                left |= claimFrom(dead, stream, out);
            }
            if (!left) {
                // nothing of it pending anywhere: forget the node
                get(link.call(c -> c.del(streamsOf(dead))));
                get(link.call(c -> c.srem(owners(), dead)));
            }
        }
        return out;
    }

    /** Claims {@code dead}'s pending entries in {@code stream}; true while some are left there. */
    private boolean claimFrom(String dead, String stream, List<QueuedBatch> out) throws Exception {
        List<PendingMessage> pending = get(link.call(c -> c.xpending(stream, Consumer.from(GROUP, dead),
                Range.create("-", "+"), Limit.from(CLAIM_BATCH))));
        if (pending.isEmpty()) {
            get(link.call(c -> c.xgroupDelconsumer(stream, Consumer.from(GROUP, dead))));
            return false;
        }
        String[] ids = pending.stream().map(PendingMessage::getId).toArray(String[]::new);
        long minIdle = link.settings.nodeTimeoutMillis();
        List<StreamMessage<String, String>> claimed = get(link.call(c -> c.xclaim(stream, Consumer.from(GROUP, node),
                XClaimArgs.Builder.minIdleTime(minIdle), ids)));
        for (StreamMessage<String, String> m : claimed) {
            QueuedBatch b = batchOf(m.getBody());
            if (b == null) {
                // an entry deleted meanwhile (XCLAIM answers it without a body) or not ours: acknowledge it away
                get(link.eval(Script.WEBHOOK_ACK, new String[] {stream}, GROUP, m.getId()));
                continue;
            }
            entries.put(b.id(), new String[] {stream, m.getId()});
            out.add(b);
        }
        return true;
    }

    private static QueuedBatch batchOf(Map<String, String> f) {
        if (f == null || f.get("id") == null || f.get("body") == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = WireCodec.parse(f.getOrDefault("headers", "{}"));
        h.fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return new QueuedBatch(f.get("id"), f.get("app"), f.get("key"), f.get("url"), headers, f.get("sig"),
                f.get("body").getBytes(StandardCharsets.UTF_8), Integer.parseInt(f.get("n")), Long.parseLong(f.get("t")));
    }

    private <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(link.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long claimEveryMillis() {
        return link.settings.heartbeatMillis();
    }

    @Override
    public boolean durable() {
        return true;
    }

    /** The link is the cluster's: it closes with it. */
    @Override
    public void close() {}

    private static String hash(String url) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
