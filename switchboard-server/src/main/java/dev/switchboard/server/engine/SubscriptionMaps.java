package dev.switchboard.server.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection's channels as a map, channel name → the presence member id it joined with ({@link #NO_MEMBER} off
 * presence). Most sockets hold 0–2 subscriptions, so while small the map is immutable and replaced on each change
 * (24 bytes for one entry, against about 180 for a ConcurrentHashMap); past {@link #SMALL} a socket gets a
 * ConcurrentHashMap for good, so that a subscribe never costs more than a copy of a few entries. Functions, not an
 * object: the connection keeps the map in a field of its own, and pays for no holder.
 */
final class SubscriptionMaps {
    static final String NO_MEMBER = "";
    /** Up to this many subscriptions the map is an immutable copy-on-write one; beyond, a ConcurrentHashMap. */
    private static final int SMALL = 8;

    private SubscriptionMaps() {}

    /** The map with the channel added: {@code m} itself once it is a ConcurrentHashMap, else a new one. */
    static Map<String, String> with(Map<String, String> m, String channel, String member) {
        if (m instanceof ConcurrentHashMap) {
            m.put(channel, member);
            return m;
        }
        if (m.isEmpty()) {
            return Map.of(channel, member);
        }
        if (m.size() < SMALL) {
            Map<String, String> copy = new HashMap<>(m);
            copy.put(channel, member);
            return Map.copyOf(copy);
        }
        Map<String, String> big = new ConcurrentHashMap<>(m);
        big.put(channel, member);
        return big;
    }

    /** The map without the channel, which it holds: {@code m} itself once it is a ConcurrentHashMap. */
    static Map<String, String> without(Map<String, String> m, String channel) {
        if (m instanceof ConcurrentHashMap) {
            m.remove(channel);
            return m;
        }
        if (m.size() == 1) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>(m);
        copy.remove(channel);
        return Map.copyOf(copy);
    }
}
