package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.num;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Channel resume's part of a dead node's cleanup ({@link NodeLeases#cleanUp}, also run by a node for itself at a clean
 * stop): for each user's place the node counted connections in ({@link RedisKeys#nodePlaces}), its connections go
 * and, when they were the user's last live ones, the place noted is the node's delivery mark in the channel: what it
 * had taken for delivery when it died (window_drop_node.lua). Then the node's marks and its index go. Each step is
 * idempotent, so a cleanup run twice (its first cleaner died) notes each place once.
 */
final class NodePlaces {
    private final RedisLink link;
    private final RedisKeys keys;

    NodePlaces(RedisLink link) {
        this.link = link;
        this.keys = link.keys;
    }

    /** How many places were noted. */
    int drop(String dead) throws Exception {
        int noted = 0;
        Set<String> channels = new LinkedHashSet<>();
        for (String member : get(link.call(c -> c.smembers(keys.nodePlaces(dead))))) {
            String[] t = RedisKeys.untriple(member);
            channels.add(RedisKeys.pair(t[0], t[1]));
            Object r = get(link.eval(Script.WINDOW_DROP_NODE, keys.windowPlaceAndMark(t[0], t[1], t[2], dead), dead,
                    Long.toString(System.currentTimeMillis())));
            noted += (int) num(Replies.list(r).get(0));
        }
        // Only once every place read them: a cleanup that stops half-way finds them again.
        for (String pair : channels) {
            String[] p = RedisKeys.unpair(pair);
            get(link.call(c -> c.del(keys.windowMark(p[0], p[1], dead))));
        }
        get(link.call(c -> c.del(keys.nodePlaces(dead))));
        return noted;
    }

    private <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(link.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
