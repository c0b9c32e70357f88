package dev.switchboard.server.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An app's {@code allowed_origins}: which browser origins may open a WebSocket to it. Each entry is one of
 * <ul>
 *   <li>{@code https://app.example.com} or {@code http://localhost:8080}: exactly that origin (scheme, host and
 *   port; a missing port is the scheme's default);</li>
 *   <li>{@code https://*.example.com}: any subdomain of example.com (at any depth, not example.com itself) with
 *   that scheme and port;</li>
 *   <li>{@code example.com} or {@code *.example.com}: that host, or any subdomain, with any scheme and port;</li>
 *   <li>{@code *}: any origin.</li>
 * </ul>
 * Hosts compare without regard to case. No entries means any origin (the default). An upgrade without an
 * {@code Origin} header is allowed: browsers always send one, and a client that is not a browser can send any
 * origin it likes, so the header protects only browser users from other sites, which is what this is for.
 */
public final class AllowedOrigins {
    private static final AllowedOrigins ANY = new AllowedOrigins(List.of(), true);

    private final List<Rule> rules;
    private final boolean any;

    private AllowedOrigins(List<Rule> rules, boolean any) {
        this.rules = rules;
        this.any = any;
    }

    /** One entry, parsed. {@code scheme} null: any scheme and port; {@code port} -1 then. */
    private record Rule(String scheme, String host, boolean subdomains, int port) {
        boolean matches(String originScheme, String originHost, int originPort) {
            if (scheme != null && (!scheme.equals(originScheme) || port != originPort)) {
                return false;
            }
            if (!subdomains) {
                return host.equals(originHost);
            }
            return originHost.length() > host.length() + 1 && originHost.endsWith("." + host);
        }
    }

    /** Parses the entries; an {@link IllegalArgumentException} names the first that is not an origin. */
    public static AllowedOrigins of(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return ANY;
        }
        List<Rule> rules = new ArrayList<>();
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            if (e.equals("*")) {
                return ANY;
            }
            rules.add(parse(e, raw));
        }
        return new AllowedOrigins(List.copyOf(rules), false);
    }

    /** Whether every origin is allowed (no entries, or {@code *}). */
    public boolean allowsAny() {
        return any;
    }

    /** Whether a WebSocket upgrade with this {@code Origin} header value (null: none sent) may go on. */
    public boolean allows(String origin) {
        if (any || origin == null) {
            return true;
        }
        URI u;
        try {
            u = new URI(origin.trim());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (u.getScheme() == null || u.getHost() == null) {
            // "null" (sandboxed frames, file: pages) and anything else that is not scheme://host[:port].
            return false;
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : defaultPort(scheme);
        for (Rule r : rules) {
            if (r.matches(scheme, host, port)) {
                return true;
            }
        }
        return false;
    }

    private static Rule parse(String e, String raw) {
        String scheme = null;
        String rest = e;
        int sep = e.indexOf("://");
        if (sep >= 0) {
            scheme = e.substring(0, sep);
            rest = e.substring(sep + 3);
            if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
                throw bad(raw);
            }
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int port = -1;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException ex) {
                throw bad(raw);
            }
            if (port < 1 || port > 65535) {
                throw bad(raw);
            }
            rest = rest.substring(0, colon);
        }
        boolean subdomains = rest.startsWith("*.");
        String host = subdomains ? rest.substring(2) : rest;
        if (host.isEmpty() || !host.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw bad(raw);
        }
        if (scheme != null) {
            if (port < 0) {
                port = defaultPort(scheme);
            }
        } else if (port >= 0) {
            // A port without a scheme would match it on every scheme: say what is meant instead.
            throw new IllegalArgumentException("allowed_origins entry '" + raw
                    + "' has a port but no scheme; write it as scheme://host:port");
        }
        return new Rule(scheme, host, subdomains, port);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    private static IllegalArgumentException bad(String raw) {
        return new IllegalArgumentException("allowed_origins entry '" + raw + "' is not an origin"
                + " (scheme://host[:port], a host, *.host or *)");
    }
}
