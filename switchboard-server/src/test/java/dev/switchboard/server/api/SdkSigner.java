package dev.switchboard.server.api;

import dev.switchboard.protocol.Signatures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs API requests the way the official SDKs do (PROTOCOL.md §6.2): pusher-http-node puts raw values in
 * the query; pusher-http-java signs the raw values and then percent-encodes them ({@code ,} as {@code %2C}).
 */
final class SdkSigner {
    enum Style { NODE, JAVA }

    private final String key;
    private final String secret;

    SdkSigner(String key, String secret) {
        this.key = key;
        this.secret = secret;
    }

    ApiRequest get(long timestamp, String path, Map<String, String> params) {
        return sign(Style.NODE, timestamp, "GET", path, path, params, null);
    }

    ApiRequest post(long timestamp, String path, String body) {
        return sign(Style.NODE, timestamp, "POST", path, path, Map.of(), body);
    }

    ApiRequest request(String method, long timestamp, String path, String body) {
        return sign(Style.NODE, timestamp, method, path, path, Map.of(), body);
    }

    /**
     * {@code signedPath} is what goes into the string to sign, {@code sentPath} what goes on the wire (they
     * differ when an HTTP client percent-encodes the path after the SDK signed it).
     */
    ApiRequest sign(Style style, long timestamp, String method, String signedPath, String sentPath,
                    Map<String, String> params, String body) {
        Map<String, String> all = new TreeMap<>(params);
        all.put("auth_key", key);
        all.put("auth_timestamp", Long.toString(timestamp));
        all.put("auth_version", "1.0");
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            all.put("body_md5", Signatures.md5Hex(bytes));
        }
        StringBuilder canonical = new StringBuilder();
        for (Map.Entry<String, String> e : all.entrySet()) {
            canonical.append(canonical.length() == 0 ? "" : "&").append(e.getKey()).append('=').append(e.getValue());
        }
        String signature = Signatures.hmacSha256Hex(secret, method + "\n" + signedPath + "\n" + canonical);
        all.put("auth_signature", signature);
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String value = style == Style.JAVA ? URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8) : e.getValue();
            query.append(query.length() == 0 ? "" : "&").append(e.getKey()).append('=').append(value);
        }
        return new ApiRequest(method, sentPath + "?" + query, bytes);
    }
}
