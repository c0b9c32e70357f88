package dev.switchboard.server.edge;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.RequestPaths;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * What a WebSocket upgrade URI asks for (PROTOCOL.md §1.1): the app key and protocol version, or the close
 * code that refuses it. The upgrade is always completed first; a refusal travels as a Pusher close code,
 * because a refused HTTP upgrade reaches pusher-js as 1006 and makes it retry forever.
 *
 * @param appKey   the key from {@code …/app/{key}}; null when refused
 * @param protocol the protocol version (4..7); 0 when refused
 * @param refusal  null when acceptable
 * @param reason   human text for the refusal
 * @param origin   the upgrade's {@code Origin} header; null when none
 * @param client   the client's address as the connection limits count it; null when not known
 */
public record WebSocketTarget(String appKey, int protocol, CloseCode refusal, String reason, String origin,
                              String client) {

    public static final int MIN_PROTOCOL = 4;
    public static final int MAX_PROTOCOL = 7;

    public static WebSocketTarget parse(String uri) {
        QueryStringDecoder decoder;
        try {
            decoder = new QueryStringDecoder(uri);
            decoder.parameters();
        } catch (IllegalArgumentException e) {
            return refuse(CloseCode.PATH_NOT_FOUND, "Malformed request URI");
        }
        String rawKey = rawKey(rawPath(uri));
        if (rawKey == null) {
            return refuse(CloseCode.PATH_NOT_FOUND, "Path not found; expected /app/{key}");
        }
        String key;
        try {
            // The HTTP API's path gets the same decoding: an app is found under one spelling of its name.
            key = RequestPaths.decode(rawKey, false);
        } catch (RequestPaths.Malformed e) {
            return refuse(CloseCode.APP_NOT_FOUND, "App key is not valid UTF-8 (escaped or raw): " + e.getMessage());
        }
        Map<String, List<String>> q = decoder.parameters();

        String protocolText = first(q, "protocol");
        int protocol;
        if (protocolText == null) {
            // pusher-js always sends it; a js client without it is treated as current (§1.1).
            if (!"js".equals(first(q, "client"))) {
                return refuse(CloseCode.NO_PROTOCOL, CloseCode.NO_PROTOCOL.text());
            }
            protocol = MAX_PROTOCOL;
        } else {
            try {
                protocol = Integer.parseInt(protocolText.trim());
            } catch (NumberFormatException e) {
                return refuse(CloseCode.UNSUPPORTED_PROTOCOL, "Unsupported protocol version: not a number");
            }
            if (protocol < MIN_PROTOCOL || protocol > MAX_PROTOCOL) {
                return refuse(CloseCode.UNSUPPORTED_PROTOCOL,
                        "Unsupported protocol version " + protocol + "; supported: 4 to 7");
            }
        }

        String version = first(q, "version");
        // An empty value is treated as absent: refusing it would lock a client out for good (4006 is fatal).
        if (version != null && !version.isEmpty() && !isVersion(version)) {
            return refuse(CloseCode.INVALID_VERSION, CloseCode.INVALID_VERSION.text());
        }
        return new WebSocketTarget(key, protocol, null, null, null, null);
    }

    public boolean refused() {
        return refusal != null;
    }

    /** This target with the upgrade's Origin header, for the app's allowed_origins. */
    WebSocketTarget withOrigin(String value) {
        return new WebSocketTarget(appKey, protocol, refusal, reason, value, client);
    }

    /** This target with the client's address, against which the app look-up's database queries count. */
    WebSocketTarget withClient(String address) {
        return new WebSocketTarget(appKey, protocol, refusal, reason, origin, address);
    }

    private static WebSocketTarget refuse(CloseCode code, String reason) {
        return new WebSocketTarget(null, 0, code, reason, null, null);
    }

    /**
     * The key of a path made of any prefix (pusher-js {@code wsPath}: empty, or {@code /} and then anything but a
     * line break), then {@code /app/} and one non-empty segment, matched on the path as sent: an escaped {@code /}
     * inside the key stays inside it. Null for any other path. By hand, not a regular expression: it runs once per
     * connection (1.4 % of a connecting client's CPU as a regex, docs/performance.md); the property test checks it
     * against the regular expression {@code ^(?:/.*)?/app/([^/]+)$} it replaces.
     */
    static String rawKey(String path) {
        int slash = path.lastIndexOf('/');
        // The key is all after the last '/', so the "/app/" before it ends there.
        if (slash < 0 || slash == path.length() - 1 || !path.startsWith("/app/", slash - 4)) {
            return null;
        }
        int prefixEnd = slash - 4;
        if (prefixEnd > 0) {
            if (path.charAt(0) != '/') {
                return null;
            }
            for (int i = 1; i < prefixEnd; i++) {
                if (isLineBreak(path.charAt(i))) {
                    return null; // as the regex's '.', which matches anything but these
                }
            }
        }
        return path.substring(slash + 1);
    }

    /** The characters a regular expression's {@code .} does not match (java.util.regex.Pattern, no flags). */
    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /**
     * {@code 8.6.0}, {@code 2.4.4}, {@code 10.1}, {@code 8.6.0-beta.1}, {@code 2.4.4-SNAPSHOT}: numbers separated by
     * dots, then optionally {@code -} or {@code +} and letters, digits, {@code .+-}. By hand, as {@link #rawKey}; the
     * regular expression it replaces: {@code ^\d+(\.\d+)*([-+][0-9A-Za-z.+-]*)?$}.
     */
    static boolean isVersion(String v) {
        int n = v.length();
        int i = digits(v, 0);
        if (i == 0) {
            return false;
        }
        while (i < n && v.charAt(i) == '.') {
            int end = digits(v, i + 1);
            if (end == i + 1) {
                return false; // a dot without a number after it, and a suffix cannot start with '.'
            }
            i = end;
        }
        if (i == n) {
            return true;
        }
        char c = v.charAt(i);
        if (c != '-' && c != '+') {
            return false;
        }
        for (i++; i < n; i++) {
            c = v.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || c == '.' || c == '+' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The index after the ASCII digits from {@code from} on. */
    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** The request target up to its query or fragment, still escaped. */
    private static String rawPath(String uri) {
        int end = uri.length();
        int q = uri.indexOf('?');
        int h = uri.indexOf('#');
        if (q >= 0) {
            end = q;
        }
        if (h >= 0 && h < end) {
            end = h;
        }
        return uri.substring(0, end);
    }

    private static String first(Map<String, List<String>> q, String name) {
        List<String> values = q.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
