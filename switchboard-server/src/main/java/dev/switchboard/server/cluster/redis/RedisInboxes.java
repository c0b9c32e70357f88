package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;
import static dev.switchboard.server.cluster.redis.Replies.strings;

import dev.switchboard.server.engine.Inboxes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * User inboxes in Redis: a list per user on the user's slot, kept by keep_if_offline.lua against the connection count
 * sign_in.lua changes (which takes the list in the step that brings the user online), so that an event is either kept
 * or delivered live.
 */
final class RedisInboxes implements Inboxes {
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;

    RedisInboxes(NodeShare share) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
    }

    /**
     * Decided by keep_if_offline.lua on the user's slot, against the same connection count sign_in.lua changes. While
     * Redis is unreachable nothing is kept: the event goes to whatever connections of the user this node has.
     */
    @Override
    public CompletionStage<Keep> keepIfOffline(String appId, String userId, KeptEvent event, int maxEvents) {
        if (!link.isUp()) {
            return CompletableFuture.completedFuture(new Keep(false, 0));
        }
        long ttl = Math.max(1, event.expiresAtMillis() - event.sentAtMillis());
        return link.eval(Script.KEEP_IF_OFFLINE,
                        new String[] {keys.userConns(appId, userId), keys.inbox(appId, userId)},
                        InboxEntries.encode(event), Integer.toString(maxEvents), Long.toString(ttl))
                .handle((r, err) -> {
                    if (err != null) {
                        share.failed(err);
                        return new Keep(false, 0);
                    }
                    List<Object> reply = list(r);
                    return new Keep(flag(reply.get(0)), (int) num(reply.get(1)));
                });
    }

    @Override
    public CompletionStage<Inbox> inbox(String appId, String userId, boolean withEvents) {
        return share.query(() -> link.call(c -> c.lrange(keys.inbox(appId, userId), 0, -1)).thenApply(entries -> {
            List<KeptEvent> live = new ArrayList<>();
            InboxEntries.unexpired(entries, System.currentTimeMillis(), live);
            return Inbox.of(live, withEvents);
        }));
    }

    @Override
    public CompletionStage<Integer> clearInbox(String appId, String userId) {
        return share.query(() -> link.eval(Script.TAKE_INBOX, new String[] {keys.inbox(appId, userId)}).thenApply(r -> {
            List<KeptEvent> live = new ArrayList<>();
            InboxEntries.unexpired(strings(r), System.currentTimeMillis(), live);
            return live.size();
        }));
    }
}
