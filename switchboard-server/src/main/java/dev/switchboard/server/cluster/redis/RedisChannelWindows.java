package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;

import dev.switchboard.server.engine.ChannelWindows;
import dev.switchboard.server.engine.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;

/**
 * Channel resume in Redis: per channel, in its slot, a list of its recent events and an INCR sequence
 * (window_append.lua: one script per publish, which also publishes the event, trimmed there by count and age), and per (user, channel) a hash of the
 * user's connections per node with the place noted when its last one was lost (window_hold.lua, window_release.lua),
 * so "the user's last connection anywhere" is decided in one step on one shard. Not part of a node's share: a
 * place survives the node that noted it. Every call is a query and fails while Redis is out of reach.
 */
final class RedisChannelWindows implements ChannelWindows {
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;

    RedisChannelWindows(NodeShare share) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
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
    public CompletionStage<Held> hold(String appId, String channel, String userId) {
        String[] k = keys.windowPlace(appId, channel, userId == null ? "" : userId);
        return share.query(() -> link.eval(Script.WINDOW_HOLD, k, share.node, userId == null ? "0" : "1",
                Long.toString(System.currentTimeMillis())).thenApply(r -> {
            List<Object> reply = list(r);
            return new Held(num(reply.get(0)), num(reply.get(1)));
        }));
    }

    @Override
    public CompletionStage<Void> release(String appId, String channel, String userId, long position, boolean lost,
                                         long keepMillis) {
        if (userId == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return share.query(() -> link.eval(Script.WINDOW_RELEASE, keys.windowPlace(appId, channel, userId),
                share.node, Long.toString(position), lost ? "1" : "0", Long.toString(keepMillis),
                Long.toString(System.currentTimeMillis())).thenApply(r -> null));
    }
}
