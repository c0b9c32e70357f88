package dev.switchboard.server.dashboard;

import dev.switchboard.server.edge.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The page's files, read once from the jar's {@code dashboard/} resources. Only the names listed here are
 * served, so no request path ever reaches the class loader.
 */
final class StaticFiles {
    /** The page talks only to its own origin and runs no inline script: a leaked app id cannot pull code in. */
    private static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                    + "connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "chart.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> files = new HashMap<>();

    StaticFiles() {
        for (String name : TYPES.keySet()) {
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("dashboard/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard/" + name + " is missing from the jar");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code name} is the path after {@code /dashboard/}; empty for the page itself. Null when unknown. */
    HttpReply get(String name) {
        String file = name.isEmpty() ? "index.html" : name;
        byte[] body = files.get(file);
        if (body == null) {
            return null;
        }
        return new HttpReply(200, TYPES.get(file), body, HEADERS, null);
    }
}
