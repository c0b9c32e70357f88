package dev.switchboard.sdk.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * NaCl {@code crypto_secretbox_easy} / tweetnacl {@code nacl.secretbox}: XSalsa20-Poly1305 with a 32-byte
 * key and a 24-byte nonce. The box is the 16-byte tag followed by the ciphertext; the Poly1305 key is the
 * first 32 bytes of the stream and encryption starts at stream byte 32.
 */
public final class SecretBox {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;

    private SecretBox() {}

    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        check(key, nonce);
        byte[] box = new byte[TAG_BYTES + plaintext.length];
        Salsa20.xsalsa20Xor(key, nonce, 32, plaintext, 0, box, TAG_BYTES, plaintext.length);
        byte[] tag = Poly1305.mac(oneTimeKey(key, nonce), box, TAG_BYTES, plaintext.length);
        System.arraycopy(tag, 0, box, 0, TAG_BYTES);
        return box;
    }

    /** The plaintext, or null when the box was not made with this key and nonce (or was altered). */
    public static byte[] open(byte[] key, byte[] nonce, byte[] box) {
        check(key, nonce);
        if (box.length < TAG_BYTES) {
            return null;
        }
        byte[] expected = Poly1305.mac(oneTimeKey(key, nonce), box, TAG_BYTES, box.length - TAG_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) {
            return null;
        }
        byte[] plaintext = new byte[box.length - TAG_BYTES];
        Salsa20.xsalsa20Xor(key, nonce, 32, box, TAG_BYTES, plaintext, 0, plaintext.length);
        return plaintext;
    }

    private static byte[] oneTimeKey(byte[] key, byte[] nonce) {
        byte[] polyKey = new byte[32];
        Salsa20.xsalsa20Xor(key, nonce, 0, new byte[32], 0, polyKey, 0, 32);
        return polyKey;
    }

    private static void check(byte[] key, byte[] nonce) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("secretbox key must be 32 bytes");
        }
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("secretbox nonce must be 24 bytes");
        }
    }
}
