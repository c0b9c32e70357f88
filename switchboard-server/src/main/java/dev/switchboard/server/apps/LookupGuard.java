package dev.switchboard.server.apps;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.limits.KeyedRateLimiter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What bounds the database queries unauthenticated clients can cause: anybody may name any app id or key, and
 * each name not cached would be a query. Two bounds, both before a query is queued:
 * <ul>
 *   <li>a name the database did not know is remembered as missing for {@code apps_miss_ttl_seconds}, at most
 *       {@code apps_miss_cache_size} of them (past that, new misses are not remembered: the second bound still
 *       holds); a change notification for the name forgets it at once, so on PostgreSQL a new app is found at
 *       once even when someone asked for it just before;</li>
 *   <li>each client address gets {@code max_apps_db_lookups_per_ip_per_second} queries a second for names the
 *       cache does not hold (a token bucket, one second's worth of burst); an IPv6 address counts as its /64, the
 *       block one subscriber gets. Re-reading a cached app is not charged: it costs one query per app per TTL.</li>
 * </ul>
 * So one address costs at most that rate in queries, however many names it tries, while every other address
 * still gets its own look-ups through: a real app never asked for resolves for them.
 */
final class LookupGuard {
    private final long missTtlNanos;
    private final int maxMisses;
    private final LongSupplier clock;
    private final KeyedRateLimiter perAddress;
    /** By {@code i:<id>} or {@code k:<key>}: when the miss stops counting, in {@link #clock} terms. */
    private final Map<String, Long> misses = new ConcurrentHashMap<>();
    private final LongAdder missesServed = new LongAdder();
    private final LongAdder refused = new LongAdder();

    LookupGuard(ServerConfig config, LongSupplier nanoClock) {
        this.missTtlNanos = TimeUnit.SECONDS.toNanos(config.appsMissTtlSeconds());
        this.maxMisses = config.appsMissCacheSize();
        this.clock = nanoClock;
        int rate = config.maxAppsDbLookupsPerIpPerSecond();
        this.perAddress = rate > 0 ? new KeyedRateLimiter(rate, nanoClock) : null;
    }

    /** Whether the database said recently that no app has this name. */
    boolean knownMissing(String name, boolean isId) {
        Long until = misses.get(slot(name, isId));
        if (until != null && clock.getAsLong() - until < 0) {
            missesServed.increment();
            return true;
        }
        return false;
    }

    /** The database has no app with this name (or refused its row). */
    void missing(String name, boolean isId) {
        if (missTtlNanos > 0 && misses.size() < maxMisses) {
            misses.put(slot(name, isId), clock.getAsLong() + missTtlNanos);
        }
    }

    /** An app by this name was found: it is no miss. */
    void found(String id, String key) {
        forget(id, key);
    }

    /** From the change feed: the app (id, key) changed, so a miss under either name may be wrong now. */
    void forget(String id, String key) {
        if (id != null) {
            misses.remove(slot(id, true));
        }
        if (key != null) {
            misses.remove(slot(key, false));
        }
    }

    void forgetAll() {
        misses.clear();
    }

    /**
     * Takes one query from the client's allowance: 0 when it may go ahead, else the nanoseconds until it may. A
     * null address (the node's own look-ups, in-process callers) is not limited.
     */
    long admit(String clientAddress) {
        if (perAddress == null || clientAddress == null) {
            return 0;
        }
        long wait = perAddress.tryAcquire(bucket(clientAddress));
        if (wait > 0) {
            refused.increment();
        }
        return wait;
    }

    /** About once a second: drops expired misses and full buckets, so both maps hold only recent names. */
    void sweep() {
        long now = clock.getAsLong();
        misses.values().removeIf(until -> now - until >= 0);
        if (perAddress != null) {
            perAddress.sweep();
        }
    }

    int rate() {
        return perAddress == null ? 0 : perAddress.ratePerSecond();
    }

    long missesServed() {
        return missesServed.sum();
    }

    long refused() {
        return refused.sum();
    }

    int missesRemembered() {
        return misses.size();
    }

    private static String slot(String name, boolean isId) {
        return (isId ? "i:" : "k:") + name;
    }

    /** The address itself, or for IPv6 its /64. Only literals are parsed, so this never asks DNS. */
    static String bucket(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            InetAddress a = InetAddress.getByName(address.startsWith("[") ? address : "[" + address + "]");
            if (a instanceof Inet6Address) {
                byte[] b = a.getAddress();
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    s.append(Integer.toHexString(((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF))).append(':');
                }
                return s.append(":/64").toString();
            }
            return a.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
