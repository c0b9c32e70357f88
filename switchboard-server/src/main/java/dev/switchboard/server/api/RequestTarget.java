package dev.switchboard.server.api;

import dev.switchboard.protocol.RequestPaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The path and query of one API request. Keeps the raw path (as signed by HTTP clients that encode it) and
 * the percent-decoded path (as signed by pusher-http-node, which signs before its HTTP client encodes), the
 * decoded path segments for routing, and the decoded query parameters with lower-cased keys, sorted, repeated
 * keys joined with {@code ,} (PROTOCOL.md §6.2 steps 1, 6 and 8).
 */
record RequestTarget(String rawPath, String decodedPath, List<String> segments, SortedMap<String, String> params) {

    static RequestTarget parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw ApiProblem.notFound("Not found");
        }
        String rest = uri;
        // Absolute-form request targets ("http://host/apps/…") are legal HTTP/1.1; keep only the path and query.
        int scheme = rest.indexOf("://");
        if (scheme > 0 && scheme < rest.indexOf('/')) {
            int pathStart = rest.indexOf('/', scheme + 3);
            rest = pathStart < 0 ? "/" : rest.substring(pathStart);
        }
        int q = rest.indexOf('?');
        return of(q < 0 ? rest : rest.substring(0, q), q < 0 ? "" : rest.substring(q + 1));
    }

    /**
     * From a target the edge already split at its first {@code ?}: a fragment ({@code #…}) is not part of it,
     * wherever it starts.
     */
    static RequestTarget of(String path, String query) {
        String rawPath = path;
        String rawQuery = query == null ? "" : query;
        int hash = rawPath.indexOf('#');
        if (hash >= 0) {
            rawPath = rawPath.substring(0, hash);
            rawQuery = "";
        } else if ((hash = rawQuery.indexOf('#')) >= 0) {
            rawQuery = rawQuery.substring(0, hash);
        }
        if (!rawPath.startsWith("/")) {
            throw ApiProblem.notFound("Not found");
        }
        List<String> segments = new ArrayList<>();
        String[] parts = rawPath.split("/", -1);
        // parts[0] is the empty string before the leading '/'.
        for (int i = 1; i < parts.length; i++) {
            segments.add(decode(parts[i], false));
        }
        return new RequestTarget(rawPath, decode(rawPath, false), Collections.unmodifiableList(segments),
                Collections.unmodifiableSortedMap(parseQuery(rawQuery)));
    }

    /** The {@code {app_id}} of an {@code /apps/{app_id}/…} target, decoded; else null. */
    String appId() {
        return segments.size() >= 2 && segments.get(0).equals("apps") ? segments.get(1) : null;
    }

    /** Query parameters, decoded, keys lower-cased and sorted, repeated keys joined with {@code ,}. */
    static SortedMap<String, String> parseQuery(String rawQuery) {
        SortedMap<String, String> params = new TreeMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), true).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            params.merge(key, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    /** The value of a query parameter, or null when absent. */
    String param(String key) {
        return params.get(key);
    }

    /**
     * {@link RequestPaths#decode}, the decoding the WebSocket URL's app key gets too, so an app id is looked up
     * under the spelling its key is. A broken escape or bytes that are not UTF-8 are a 400.
     */
    static String decode(String s, boolean plusIsSpace) {
        try {
            return RequestPaths.decode(s, plusIsSpace);
        } catch (RequestPaths.Malformed e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }
}
