package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;
import static dev.switchboard.server.cluster.redis.Replies.strings;

import dev.switchboard.server.engine.ChannelWindows;
import dev.switchboard.server.engine.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Channel resume in Redis: per channel, in its slot, a list of its recent events and an INCR sequence
 * (window_append.lua: one script per publish, which also publishes the event, trimmed there by count and age), and
 * per (user, channel) a hash of the user's connections per node with the place noted when its last one was lost
 * (window_hold.lua, window_release.lua), so "the user's last connection anywhere" is decided in one step on one shard. Not part of a node's share: a
 * place survives the node that noted it. Every call is a query and fails while Redis is out of reach.
 *
 * <p>A node killed -9 notes nothing, so each node leaves behind what its cleaner needs ({@link NodePlaces}): the index
 * of the places it counts connections in ({@link RedisKeys#nodePlaces}, an SADD when its count for a (app, channel,
 * user) goes 0 to 1, an SREM back at 0, sent inside the count's compute so they reach Redis in the counts' order),
 * and per channel its delivery mark, the highest sequence it took for delivery while it held a signed-in subscriber
 * there ({@link #taking}: one SET per windowed event, only when the sequence is above the last one sent). A hold
 * that finds the user only on other nodes waits for them to be found alive or dead ({@link PlaceWaits}).
 */
final class RedisChannelWindows implements ChannelWindows {
    /** How long a delivery mark outlives the node's last event or hold in the channel (a leak bound, not a rule). */
    static final long MARK_MILLIS = java.util.concurrent.TimeUnit.DAYS.toMillis(1);
    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;
    private final PlaceWaits waits;
    /** This node's signed-in connections per windowed channel ("app\nchannel"), changed only inside compute. */
    private final ConcurrentHashMap<String, Holding> holding = new ConcurrentHashMap<>();

    /** This node's connections in one channel per user, and the last mark sent. */
    private static final class Holding {
        final Map<String, Integer> users = new HashMap<>(4);
        long marked;
    }

    RedisChannelWindows(NodeShare share) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
        this.waits = new PlaceWaits(share);
    }

    /**
     * One script keeps the event and publishes it to every node (this one too: {@link BrokerMessage#SEQUENCED} is
     * delivered from pub/sub at its origin as well), so Redis orders the sequence and the publish in one step and
     * every node receives the channel's events in sequence order, whoever published them. {@code here} is never
     * called. A failure before the script was sent is a {@link dev.switchboard.server.engine.StateUnavailableException}
     * (the engine publishes the event itself then); one after it (a timeout) may have published it, so the engine
     * leaves it: never twice.
     */
    @Override
    public CompletionStage<Long> appendAndPublish(String appId, String channel, String event, String data,
                                                  Limits limits, Frame frame, String exceptSocketId, LongConsumer here) {
        String command = frame == null ? "" : RedisChannels.publishCommand(link);
        String bytes = frame == null ? "" : new String(frame.bytes(), StandardCharsets.UTF_8);
        return share.query(() -> link.eval(Script.WINDOW_APPEND, keys.windowAndTopic(appId, channel), event, data,
                Integer.toString(limits.maxEvents()), Long.toString(limits.maxAgeMillis()),
                Long.toString(System.currentTimeMillis()), Integer.toString(event.length()), command, share.node,
                exceptSocketId == null ? "" : exceptSocketId, bytes).thenApply(r -> num(list(r).get(0))));
    }

    @Override
    public CompletionStage<Replay> after(String appId, String channel, long after, Limits limits) {
        String[] k = keys.window(appId, channel);
        return share.query(() -> link.eval(Script.WINDOW_READ, k).thenApply(r -> {
            List<Object> reply = list(r);
            long head = num(reply.get(0));
            long cutoff = System.currentTimeMillis() - limits.maxAgeMillis();
            List<Kept> out = new ArrayList<>();
            long firstKept = head + 1;
            for (int i = Math.max(1, reply.size() - limits.maxEvents()); i < reply.size(); i++) {
                Object o = reply.get(i);
                String e = o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : (String) o;
                int a = e.indexOf(':');
                int b = e.indexOf(':', a + 1);
                int c = e.indexOf(':', b + 1);
                long seq = Long.parseLong(e, 0, a, 10);
                if (Long.parseLong(e, a + 1, b, 10) < cutoff) {
                    continue;
                }
                int len = Integer.parseInt(e, b + 1, c, 10);
                firstKept = Math.min(firstKept, seq);
                if (seq > after) {
                    out.add(new Kept(seq, e.substring(c + 1, c + 1 + len), e.substring(c + 1 + len)));
                }
            }
            long lost = after < head ? Math.max(0, firstKept - 1 - after) : 0;
            return new Replay(out, lost, head);
        }));
    }

    @Override
    public CompletionStage<Held> hold(String appId, String channel, String userId, long keepMillis) {
        if (userId == null) {
            return share.query(() -> link.eval(Script.WINDOW_HOLD, keys.windowPlaceAndMark(appId, channel, "",
                    share.node), share.node, "0", "0", "0", "0", "0").thenApply(r -> new Held(NONE, num(list(r).get(1)))));
        }
        String key = appId + '\n' + channel;
        @SuppressWarnings("unchecked")
        CompletionStage<Object>[] sent = new CompletionStage[1];
        boolean[] first = new boolean[1];
        holding.compute(key, (k, h) -> {
            Holding x = h == null ? new Holding() : h;
            first[0] = x.users.isEmpty();
            if (x.users.merge(userId, 1, Integer::sum) == 1) {
                share.index(keys.nodePlaces(share.node), RedisKeys.triple(appId, channel, userId), true);
            }
            sent[0] = share.query(() -> link.eval(Script.WINDOW_HOLD,
                    keys.windowPlaceAndMark(appId, channel, userId, share.node), share.node, "1",
                    Long.toString(System.currentTimeMillis()), Long.toString(keepMillis), first[0] ? "1" : "0",
                    Long.toString(MARK_MILLIS)));
            return x;
        });
        return sent[0].thenCompose(r -> {
            List<Object> reply = list(r);
            long head = num(reply.get(1));
            if (first[0]) {
                raised(appId, channel, key, head);
            }
            if (num(reply.get(2)) == 1) {
                return waits.join(appId, channel, userId, strings(reply, 3), head);
            }
            return CompletableFuture.completedFuture(new Held(num(reply.get(0)), head));
        });
    }

    /**
     * The hold raised this node's mark to the head. A mark below it sent since (an older event still on its way
     * here) would have put it back: sent again.
     */
    private void raised(String appId, String channel, String key, long head) {
        holding.computeIfPresent(key, (k, h) -> {
            if (h.marked < head) {
                if (h.marked > 0) {
                    mark(appId, channel, head);
                }
                h.marked = head;
            }
            return h;
        });
    }

    @Override
    public CompletionStage<Void> taking(String appId, String channel, long sequence) {
        String key = appId + '\n' + channel;
        if (!holding.containsKey(key) || !link.isUp()) {
            return NOTHING;
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] out = new CompletableFuture[] {NOTHING};
        holding.computeIfPresent(key, (k, h) -> {
            if (sequence > h.marked) {
                h.marked = sequence;
                out[0] = mark(appId, channel, sequence);
            }
            return h;
        });
        return out[0];
    }

    /** Sent inside the channel's compute, so marks reach Redis in the order they were taken. */
    private CompletableFuture<Void> mark(String appId, String channel, long sequence) {
        return link.call(c -> c.set(keys.windowMark(appId, channel, share.node), Long.toString(sequence),
                io.lettuce.core.SetArgs.Builder.px(MARK_MILLIS))).thenApply(r -> (Void) null);
    }

    @Override
    public CompletionStage<Void> release(String appId, String channel, String userId, long position, boolean lost,
                                         long keepMillis) {
        if (userId == null) {
            return NOTHING;
        }
        @SuppressWarnings("unchecked")
        CompletionStage<Object>[] sent = new CompletionStage[1];
        holding.compute(appId + '\n' + channel, (k, h) -> {
            boolean last = h != null && h.users.containsKey(userId)
                    && h.users.computeIfPresent(userId, (u, n) -> n == 1 ? null : n - 1) == null;
            sent[0] = share.query(() -> link.eval(Script.WINDOW_RELEASE, keys.windowPlace(appId, channel, userId),
                    share.node, Long.toString(position), lost ? "1" : "0", Long.toString(keepMillis),
                    Long.toString(System.currentTimeMillis())));
            if (last) { // after the release, as the SADD went before the hold: a counted place is always indexed
                share.index(keys.nodePlaces(share.node), RedisKeys.triple(appId, channel, userId), false);
            }
            return h == null || h.users.isEmpty() ? null : h;
        });
        return sent[0].thenApply(r -> null);
    }
}
