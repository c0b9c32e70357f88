package dev.switchboard.sdk;

import dev.switchboard.protocol.Signatures;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signs HTTP API requests with auth_version 1.0 (PROTOCOL.md §6.2), exactly as the official SDKs do:
 * {@code auth_key}, {@code auth_timestamp}, {@code auth_version}, {@code body_md5} when there is a body,
 * then {@code auth_signature} = HMAC-SHA256 hex of {@code METHOD\nPATH\nsorted key=value pairs}, values
 * unescaped in the string to sign and percent-encoded in the URL.
 */
final class RequestSigner {
    private static final Set<String> RESERVED =
            Set.of("auth_key", "auth_timestamp", "auth_version", "auth_signature", "body_md5");

    private final String key;
    private final String secret;
    private final Clock clock;

    RequestSigner(String key, String secret, Clock clock) {
        this.key = key;
        this.secret = secret;
        this.clock = clock;
    }

    /**
     * The query string (without '?') to send with {@code method path}: the app's {@code params} plus the
     * auth parameters, percent-encoded, {@code auth_signature} last.
     */
    String signedQuery(String method, String path, Map<String, String> params, byte[] body) {
        // TreeMap on lower-cased keys = byte order for the ASCII names the API uses.
        TreeMap<String, String> all = new TreeMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            String name = p.getKey().toLowerCase(java.util.Locale.ROOT);
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException(p.getKey() + " is a reserved query parameter");
            }
            all.put(name, p.getValue());
        }
        all.put("auth_key", key);
        all.put("auth_timestamp", Long.toString(clock.millis() / 1000));
        all.put("auth_version", "1.0");
        if (body != null && body.length > 0) {
            all.put("body_md5", Signatures.md5Hex(body));
        }
        StringBuilder toSign = new StringBuilder();
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> p : all.entrySet()) {
            if (toSign.length() > 0) {
                toSign.append('&');
                query.append('&');
            }
            toSign.append(p.getKey()).append('=').append(p.getValue());
            query.append(p.getKey()).append('=').append(Urls.queryValue(p.getValue()));
        }
        String signature = Signatures.hmacSha256Hex(secret,
                method.toUpperCase(java.util.Locale.ROOT) + "\n" + path + "\n" + toSign);
        return query.append("&auth_signature=").append(signature).toString();
    }

    @Override
    public String toString() {
        return "RequestSigner[key=" + key + "]";
    }
}
