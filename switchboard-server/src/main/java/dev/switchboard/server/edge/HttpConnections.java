package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.TrustedProxies;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the connections not yet upgraded to WebSocket (HTTP requests, keep-alive connections, upgrades under way)
 * per node ({@code max_http_connections}) and per client address ({@code max_http_connections_per_ip}), and
 * admits a new one at accept, before a byte of it is read: over either cap it is closed at once, so an address
 * that opens connections and sends nothing cannot hold the node's file descriptors.
 *
 * <p>At accept only the TCP peer is known (an {@code X-Forwarded-For} comes with the head, later), so that is the
 * address counted. A peer in {@code trusted_proxies} carries many clients and counts only against the node's cap;
 * its slow clients are the proxy's to time out (and every deadline of {@link HttpGuard} applies to it as to
 * anyone). An IPv6 peer counts by its /64, the block one subscriber is given, or one host could use a fresh
 * address per connection.
 *
 * <p>The node's cap never exceeds half the process's open-file limit, nor the per-address cap half the node's:
 * a node started under {@code ulimit -n 1024} keeps descriptors for upgraded sockets, Redis and its own files,
 * and one address cannot fill what is left for everyone else.
 */
final class HttpConnections {
    private static final Logger log = LoggerFactory.getLogger(HttpConnections.class);

    private final int maxNode;
    private final int maxPerAddress;
    private final TrustedProxies proxies;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<Object, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    HttpConnections(ServerConfig config) {
        this(config.maxHttpConnections(), config.maxHttpConnectionsPerIp(), TrustedProxies.parse(config.trustedProxies()),
                openFileLimit());
    }

    HttpConnections(int maxNode, int maxPerAddress, TrustedProxies proxies, long openFiles) {
        int node = maxNode;
        if (node > 0 && openFiles > 0 && node > openFiles / 2) {
            node = (int) Math.max(1, openFiles / 2);
            log.warn("max_http_connections lowered from {} to {}: half the process's open-file limit ({}); raise the "
                    + "limit (ulimit -n) to allow more", maxNode, node, openFiles);
        }
        int ip = maxPerAddress;
        if (ip > 0 && node > 0 && ip > node / 2) {
            ip = Math.max(1, node / 2);
            log.info("max_http_connections_per_ip is {}: half of max_http_connections ({}), so one address cannot "
                    + "fill it", ip, node);
        }
        this.maxNode = node;
        this.maxPerAddress = ip;
        this.proxies = proxies;
    }

    int maxNode() {
        return maxNode;
    }

    int maxPerAddress() {
        return maxPerAddress;
    }

    /** What {@link #admit} refused. */
    enum Refusal { NODE, ADDRESS }

    /**
     * Takes a slot for a new connection from {@code remote}: the slot to give back with {@link #release}, or a
     * {@link Refusal}. On any thread.
     */
    Object admit(SocketAddress remote) {
        if (maxNode > 0 && open.incrementAndGet() > maxNode) {
            open.decrementAndGet();
            return Refusal.NODE;
        } else if (maxNode <= 0) {
            open.incrementAndGet();
        }
        Object key = keyOf(remote);
        if (key == null || maxPerAddress <= 0) {
            return Slot.NODE_ONLY;
        }
        boolean[] over = new boolean[1];
        perAddress.compute(key, (k, n) -> {
            if (n == null) {
                n = new AtomicInteger();
            }
            if (n.get() >= maxPerAddress) {
                over[0] = true;
                return n.get() == 0 ? null : n;
            }
            n.incrementAndGet();
            return n;
        });
        if (over[0]) {
            open.decrementAndGet();
            return Refusal.ADDRESS;
        }
        return new Slot(key);
    }

    /** Gives back a slot taken by {@link #admit}; once per slot. */
    void release(Slot slot) {
        open.decrementAndGet();
        if (slot.key != null) {
            perAddress.computeIfPresent(slot.key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    int open() {
        return open.get();
    }

    /** Addresses holding at least one slot (bounded by max_http_connections). */
    int addresses() {
        return perAddress.size();
    }

    /** The per-address key: an IPv4 address, an IPv6 /64, or null when the address is not counted. */
    private Object keyOf(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return null;
        }
        InetAddress peer = socket.getAddress();
        if (!proxies.isEmpty() && proxies.contains(peer)) {
            return null;
        }
        if (peer instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            long prefix = 0;
            for (int i = 0; i < 8; i++) {
                prefix = (prefix << 8) | (b[i] & 0xff);
            }
            return prefix;
        }
        return peer;
    }

    /** One admitted connection's hold on the counts. */
    static final class Slot {
        static final Slot NODE_ONLY = new Slot(null);
        private final Object key;

        private Slot(Object key) {
            this.key = key;
        }
    }

    private static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
