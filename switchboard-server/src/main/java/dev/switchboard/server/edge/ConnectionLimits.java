package dev.switchboard.server.edge;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.TrustedProxies;
import dev.switchboard.server.limits.KeyedRateLimiter;
import io.netty.channel.Channel;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The node's connection limits, checked before any app state exists: new WebSockets per client address per
 * second ({@code max_connections_per_ip_per_second}, refused on the upgrade with 429) and open WebSockets on
 * the node ({@code max_node_connections}, closed 4100 after it). The client address is the socket's peer,
 * or, for a connection from a {@code trusted_proxies} entry, the right-most {@code X-Forwarded-For} entry
 * that is not a trusted proxy itself: entries further left are whatever the client wrote.
 */
final class ConnectionLimits {
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private final KeyedRateLimiter perAddress;
    private final TrustedProxies proxies;
    private final int maxOpen;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimits(ServerConfig config, LongSupplier nanoClock) {
        int rate = config.maxConnectionsPerIpPerSecond();
        this.perAddress = rate > 0 ? new KeyedRateLimiter(rate, nanoClock) : null;
        this.proxies = TrustedProxies.parse(config.trustedProxies());
        this.maxOpen = config.maxNodeConnections();
    }

    int perAddressRate() {
        return perAddress == null ? 0 : perAddress.ratePerSecond();
    }

    /** 0 when a new WebSocket from {@code address} may be upgraded, else the nanoseconds until one may. */
    long admitNew(String address) {
        return perAddress == null ? 0 : perAddress.tryAcquire(address);
    }

    /** Forgets addresses whose allowance has refilled; about once a second. */
    void sweep() {
        if (perAddress != null) {
            perAddress.sweep();
        }
    }

    /** Takes a slot of {@code max_node_connections}; false when the node is full. Give it back with {@link #closed}. */
    boolean tryOpen() {
        if (maxOpen <= 0) {
            open.incrementAndGet();
            return true;
        }
        while (true) {
            int n = open.get();
            if (n >= maxOpen) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    int openCount() {
        return open.get();
    }

    /** The address a limit counts this request against (see the class comment). */
    String clientAddress(Channel channel, HttpHeaders headers) {
        if (!(channel.remoteAddress() instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return String.valueOf(channel.remoteAddress());
        }
        InetAddress peer = socket.getAddress();
        if (proxies.isEmpty() || !proxies.contains(peer)) {
            return peer.getHostAddress();
        }
        List<String> forwarded = headers.getAll(X_FORWARDED_FOR);
        InetAddress client = peer;
        // Several headers are one list in order (RFC 7230 §3.2.2); walk it from the right.
        for (int h = forwarded.size() - 1; h >= 0; h--) {
            String[] entries = forwarded.get(h).split(",");
            for (int i = entries.length - 1; i >= 0; i--) {
                InetAddress hop = TrustedProxies.parseLiteral(stripPort(entries[i].trim()));
                if (hop == null) {
                    // Not an address: no proxy of ours wrote it, so the last hop we could read is the client.
                    return client.getHostAddress();
                }
                client = hop;
                if (!proxies.contains(hop)) {
                    return hop.getHostAddress();
                }
            }
        }
        return client.getHostAddress();
    }

    /** {@code 1.2.3.4:5678} and {@code [::1]:5678} as some proxies write them; a bare IPv6 keeps its colons. */
    private static String stripPort(String entry) {
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            return end < 0 ? entry : entry.substring(1, end);
        }
        int colon = entry.indexOf(':');
        if (colon > 0 && entry.indexOf(':', colon + 1) < 0) {
            return entry.substring(0, colon);
        }
        return entry;
    }
}
