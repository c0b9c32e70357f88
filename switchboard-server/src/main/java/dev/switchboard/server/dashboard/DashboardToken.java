package dev.switchboard.server.dashboard;

import dev.switchboard.protocol.Signatures;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token that opens the dashboard: the configured one, or a random one made at start. Both sides
 * of a comparison are first MACed with a per-process key, so that the constant-time compare also hides the
 * token's length.
 */
final class DashboardToken {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BEARER = "Bearer ";

    private final String value;
    private final boolean generated;
    private final String macKey;
    private final String expectedMac;

    private DashboardToken(String value, boolean generated) {
        this.value = value;
        this.generated = generated;
        this.macKey = randomText(32);
        this.expectedMac = Signatures.hmacSha256Hex(macKey, value);
    }

    /** The configured token, or a random one (32 bytes, URL-safe) when {@code configured} is empty. */
    static DashboardToken of(String configured) {
        String t = configured == null ? "" : configured.strip();
        return t.isEmpty() ? new DashboardToken(randomText(32), true) : new DashboardToken(t, false);
    }

    String value() {
        return value;
    }

    boolean generated() {
        return generated;
    }

    /** True when the {@code Authorization} header is {@code Bearer <token>}. */
    boolean accepts(String authorization) {
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
