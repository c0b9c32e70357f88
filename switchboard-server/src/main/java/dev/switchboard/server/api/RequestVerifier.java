package dev.switchboard.server.api;

import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.server.config.AppConfig;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * Authenticates an HTTP API request (PROTOCOL.md §6.2, auth_version 1.0): app, key, version, timestamp
 * window, body MD5 and the HMAC-SHA256 signature over {@code METHOD\nPATH\nsorted params}. Every comparison of
 * a secret-derived value is constant-time. Error texts follow Pusher's so SDK users recognise them, never
 * contain the secret, and quote what the caller sent only up to a limit ({@link Names#quote}).
 */
final class RequestVerifier {
    static final String SUPPORTED_AUTH_VERSION = "1.0";
    /**
     * How much of the string to sign an invalid-signature answer quotes: all of any real request's (method, path,
     * a handful of parameters), while a padded query cannot make the answer as long as the request line.
     */
    static final int SIGNED_STRING_QUOTE_LIMIT = 1024;

    private final int timestampSkewSeconds;
    private final Clock clock;

    RequestVerifier(int timestampSkewSeconds, Clock clock) {
        this.timestampSkewSeconds = timestampSkewSeconds;
        this.clock = clock;
    }

    /**
     * Returns normally when the request may proceed; otherwise throws the answer: 404 unknown app, 401 bad
     * credentials, 403 disabled app. {@code app} is null when no app has the id in the path.
     */
    void verify(AppConfig app, String method, RequestTarget target, byte[] body) {
        if (app == null) {
            throw ApiProblem.notFound("Unknown app");
        }
        Map<String, String> params = target.params();
        String key = params.get("auth_key");
        String timestamp = params.get("auth_timestamp");
        String version = params.get("auth_version");
        String signature = params.get("auth_signature");
        if (key == null || timestamp == null || version == null || signature == null) {
            throw ApiProblem.unauthorized(
                    "Missing authentication parameters: auth_key, auth_timestamp, auth_version and auth_signature are required");
        }
        if (!Signatures.matches(app.key(), key)) {
            throw ApiProblem.unauthorized("Invalid auth_key: " + Names.quote(key));
        }
        if (!SUPPORTED_AUTH_VERSION.equals(version)) {
            throw ApiProblem.unauthorized("Unsupported auth_version: " + Names.quote(version) + " (expected 1.0)");
        }
        checkTimestamp(timestamp);
        if (body != null && body.length > 0) {
            String md5 = params.get("body_md5");
            if (md5 == null) {
                throw ApiProblem.unauthorized("Missing body_md5 for a request with a body");
            }
            if (!Signatures.matches(Signatures.md5Hex(body), md5)) {
                throw ApiProblem.unauthorized("Invalid body_md5: the MD5 of the body does not match "
                        + Names.quote(md5));
            }
        }
        String canonical = canonicalQuery(params);
        String upper = method.toUpperCase(Locale.ROOT);
        String rawString = upper + "\n" + target.rawPath() + "\n" + canonical;
        boolean ok = Signatures.matches(Signatures.hmacSha256Hex(app.secret(), rawString), signature);
        if (!target.decodedPath().equals(target.rawPath())) {
            String decodedString = upper + "\n" + target.decodedPath() + "\n" + canonical;
            // Non-short-circuit OR: both comparisons always run.
            ok |= Signatures.matches(Signatures.hmacSha256Hex(app.secret(), decodedString), signature);
        }
        if (!ok) {
            throw ApiProblem.unauthorized("Invalid signature: you should have sent HmacSHA256Hex("
                    + quoted(Names.quote(rawString, SIGNED_STRING_QUOTE_LIMIT)) + ", your_secret_key), but you sent "
                    + quoted(Names.quote(signature)));
        }
        if (!app.enabled()) {
            throw new ApiProblem(403, "App is disabled");
        }
    }

    private void checkTimestamp(String timestamp) {
        long now = clock.millis() / 1000;
        long given;
        try {
            given = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw ApiProblem.unauthorized("Invalid auth_timestamp: " + Names.quote(timestamp));
        }
        if (Math.abs(now - given) > timestampSkewSeconds) {
            throw ApiProblem.unauthorized("Timestamp expired: Given timestamp (" + given + ") not within "
                    + timestampSkewSeconds + "s of server time (" + now + ")");
        }
    }

    /**
     * The signed query: every parameter except {@code auth_signature}, keys lower-cased, sorted, {@code k=v}
     * joined by {@code &}, values not escaped. {@code params} is already decoded, lower-cased and sorted.
     */
    static String canonicalQuery(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().equals("auth_signature")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    /** The string to sign, as SDKs build it (exposed for tests and error texts). */
    static String stringToSign(String method, String path, Map<String, String> params) {
        return method.toUpperCase(Locale.ROOT) + "\n" + path + "\n" + canonicalQuery(params);
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }
}
