package dev.switchboard.bench;

import dev.switchboard.protocol.Signatures;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs HTTP API requests as PROTOCOL.md §6.2 says (auth_version 1.0, body_md5). One instance per
 * thread: it keeps its {@link Mac} and {@link MessageDigest} to sign thousands of requests a second
 * without looking the algorithms up each time.
 */
final class ApiSigner {
    private final String key;
    private final Mac mac;
    private final MessageDigest md5;

    ApiSigner(String key, String secret) {
        this.key = key;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            md5 = MessageDigest.getInstance("MD5");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request target for {@code method path} with {@code body}: the path and its signed query. */
    String target(String method, String path, byte[] body, long timestampSeconds) {
        StringBuilder q = new StringBuilder(160)
                .append("auth_key=").append(key)
                .append("&auth_timestamp=").append(timestampSeconds)
                .append("&auth_version=1.0");
        if (body != null && body.length > 0) {
            q.append("&body_md5=").append(Signatures.hex(md5.digest(body)));
        }
        String toSign = method + "\n" + path + "\n" + q;
        String signature = Signatures.hex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        return path + "?" + q + "&auth_signature=" + signature;
    }
}
