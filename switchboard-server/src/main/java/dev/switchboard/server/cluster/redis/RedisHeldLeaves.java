package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;

import dev.switchboard.server.engine.HeldLeaves;
import java.util.concurrent.CompletionStage;

/**
 * Held leaves in Redis: a hash per channel (its vacancy, each member's removal) and per user (its going offline), on
 * the slot of what it concerns, written by leave.lua and sign_out.lua and cancelled by join.lua and sign_in.lua in
 * the step that decides them; confirm_held.lua takes a record only when this node's leave still holds it.
 */
final class RedisHeldLeaves implements HeldLeaves {
    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;

    RedisHeldLeaves(NodeShare share) {
        this.link = share.link;
        this.keys = share.keys;
        this.node = share.node;
    }

    @Override
    public CompletionStage<Boolean> confirmHeld(String appId, Hold hold, String channel, String userId) {
        String key = hold == Hold.OFFLINE ? keys.userHeld(appId, userId) : keys.channelHeld(appId, channel);
        String field = switch (hold) {
            case VACANCY -> "v";
            case REMOVAL -> "m|" + userId;
            case OFFLINE -> "o";
        };
        return link.eval(Script.CONFIRM_HELD, new String[] {key}, field, node)
                .thenApply(r -> flag(list(r).get(0)));
    }
}
