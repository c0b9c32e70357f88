package dev.switchboard.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signatures of PROTOCOL.md §3, §5 and §6, always over explicit UTF-8, always compared
 * in constant time.
 */
public final class Signatures {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int HEX_SIGNATURE_LENGTH = 64;
    /**
     * One HMAC-SHA256 per thread, keyed with the secret it last used. Looking the algorithm up and keying it again
     * for every signature cost as much as computing it (connect-path profile: every sign-in and presence join
     * checks one); an event loop serves one app's clients after another's, so the key rarely changes.
     */
    private static final ThreadLocal<KeyedMac> MACS = ThreadLocal.withInitial(KeyedMac::new);

    private static final class KeyedMac {
        private Mac mac;
        /** The secret {@link #mac} is keyed with; compared to our own secrets only, never to client input. */
        private String secret;

        Mac keyedWith(String newSecret) throws GeneralSecurityException {
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
            }
            if (!newSecret.equals(secret)) {
                secret = null; // not keyed if init throws
                mac.init(new SecretKeySpec(newSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                secret = newSecret;
            }
            return mac;
        }
    }

    private Signatures() {}

    public static String hmacSha256Hex(String secret, String message) {
        return hmacSha256Hex(secret, message.getBytes(StandardCharsets.UTF_8));
    }

    public static String hmacSha256Hex(String secret, byte[] message) {
        try {
            // doFinal leaves the Mac reset and keyed for the next message.
            return hex(MACS.get().keyedWith(secret).doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String md5Hex(byte[] body) {
        try {
            return hex(MessageDigest.getInstance("MD5").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    /** Constant-time comparison of two signatures (or any two strings). Null never matches. */
    public static boolean matches(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** String to sign for private and encrypted channels, and presence authorised through sign-in (§3.1, §3.4). */
    public static String channelString(String socketId, String channel) {
        return socketId + ":" + channel;
    }

    /** String to sign for presence channels with channel_data: the exact string the client sent (§3.2). */
    public static String presenceString(String socketId, String channel, String channelData) {
        return socketId + ":" + channel + ":" + channelData;
    }

    /** String to sign for {@code pusher:signin} (§5.3). */
    public static String userString(String socketId, String userData) {
        return socketId + "::user::" + userData;
    }

    /** {@code key:signature} as the clients send it. */
    public static String auth(String key, String secret, String stringToSign) {
        return key + ":" + hmacSha256Hex(secret, stringToSign);
    }

    /**
     * Whether {@code auth} has the shape {@code key:signature} (a non-empty key without a colon, then 64 hex
     * digits). Checked before the signature so that a malformed value gets the protocol's "invalid format"
     * answer rather than a signature mismatch.
     */
    public static boolean isWellFormedAuth(String auth) {
        if (auth == null) {
            return false;
        }
        int colon = auth.indexOf(':');
        if (colon <= 0 || auth.length() - colon - 1 != HEX_SIGNATURE_LENGTH) {
            return false;
        }
        for (int i = colon + 1; i < auth.length(); i++) {
            char c = auth.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks an {@code auth} value {@code key:hexsignature} against the expected signature of
     * {@code stringToSign}, in constant time.
     */
    public static boolean verifyAuth(String auth, String key, String secret, String stringToSign) {
        if (auth == null) {
            return false;
        }
        int colon = auth.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean keyOk = matches(key, auth.substring(0, colon));
        boolean sigOk = matches(hmacSha256Hex(secret, stringToSign), auth.substring(colon + 1));
        return keyOk & sigOk;
    }

    /** The per-channel key of an encrypted channel: base64(SHA-256(channel ‖ masterKey)) (§3.3). */
    public static String sharedSecret(String channel, byte[] masterKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            sha.update(masterKey);
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[i * 2] = HEX[(bytes[i] >> 4) & 0xf];
            out[i * 2 + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
