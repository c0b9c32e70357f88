package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.Bans;
import io.lettuce.core.SetArgs;
import java.util.concurrent.CompletionStage;

/**
 * Bans in Redis: one key per banned user in the user's slot ({@link RedisKeys#ban}), holding the ban's end and
 * expiring then. sign_in.lua reads it in the step that decides the sign-in, on the same shard, so Redis orders each
 * sign-in of the user before or after the ban; none slips past it on any node. Not part of a node's share: a ban
 * outlives the node that recorded it, and no write-back touches it. Every call is a query: it fails while Redis is
 * out of reach (the HTTP API answers 503) rather than record a ban the other nodes would not see.
 */
final class RedisBans implements Bans {
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;

    RedisBans(NodeShare share) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
    }

    @Override
    public CompletionStage<Long> ban(String appId, String userId, long millis) {
        long until = System.currentTimeMillis() + millis;
        String key = keys.ban(appId, userId);
        return share.query(() -> link.call(c -> c.set(key, Long.toString(until), SetArgs.Builder.px(millis)))
                .thenApply(ok -> until));
    }

    @Override
    public CompletionStage<Boolean> lift(String appId, String userId) {
        String key = keys.ban(appId, userId);
        return share.query(() -> link.call(c -> c.del(key)).thenApply(n -> n > 0));
    }

    @Override
    public CompletionStage<Long> bannedUntil(String appId, String userId) {
        String key = keys.ban(appId, userId);
        return share.query(() -> link.call(c -> c.get(key)).thenApply(v -> v == null ? 0L : Long.parseLong(v)));
    }
}
