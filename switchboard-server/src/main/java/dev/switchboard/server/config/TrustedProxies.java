package dev.switchboard.server.config;

import dev.switchboard.server.config.ConfigLoader.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code trusted_proxies} setting parsed: literal IPv4/IPv6 addresses and CIDR ranges. Only a connection
 * from one of these may name its client in {@code X-Forwarded-For}; anyone else could forge the header and
 * dodge a per-address limit (or get someone else refused).
 */
public final class TrustedProxies {
    /** Literal addresses only: anything else would make {@link InetAddress#getByName} ask DNS. */
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$");

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** Comma-separated entries; empty means none. {@link ConfigException} names the bad entry. */
    public static TrustedProxies parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Range> out = new ArrayList<>();
        for (String raw : text.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String addressText = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(addressText);
            if (address == null) {
                throw new ConfigException("trusted_proxies: '" + entry + "' is not an IP address or CIDR range");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new ConfigException("trusted_proxies: bad prefix length in '" + entry + "'");
                }
            }
            out.add(new Range(address, bits));
        }
        return new TrustedProxies(out);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The address of a literal, or null when {@code text} is not one (never a DNS lookup). */
    public static InetAddress parseLiteral(String text) {
        byte[] bytes = literal(text);
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] literal(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (!IPV4.matcher(t).matches() && !IPV6.matcher(t).matches()) {
            return null;
        }
        if (IPV4.matcher(t).matches()) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
