package dev.switchboard.server.access;

import dev.switchboard.protocol.Signatures;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bearer token that opens an operator's endpoint (the dashboard, {@code /metrics} on the client port): the
 * configured one, or a random one made at start. Both sides
 * of a comparison are first MACed with a per-process key, so that the constant-time compare also hides the
 * token's length.
 */
public final class BearerToken {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BEARER = "Bearer ";

    private final String value;
    private final boolean generated;
    private final String macKey;
    private final String expectedMac;

    private BearerToken(String value, boolean generated) {
        this.value = value;
        this.generated = generated;
        this.macKey = randomText(32);
        this.expectedMac = Signatures.hmacSha256Hex(macKey, value);
    }

    /** The configured token, or a random one (32 bytes, URL-safe) when {@code configured} is empty. */
    public static BearerToken of(String configured) {
        String t = configured == null ? "" : configured.strip();
        return t.isEmpty() ? new BearerToken(randomText(32), true) : new BearerToken(t, false);
    }

    public String value() {
        return value;
    }

    public boolean generated() {
        return generated;
    }

    /** True when the {@code Authorization} header is {@code Bearer <token>}. */
    public boolean accepts(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String given = authorization.substring(BEARER.length()).strip();
        return Signatures.matches(expectedMac, Signatures.hmacSha256Hex(macKey, given));
    }

    private static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
