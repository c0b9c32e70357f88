package dev.switchboard.sdk.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox_easy} / tweetnacl {@code nacl.secretbox}: XSalsa20-Poly1305 with a 32-byte
 * key and a 24-byte nonce. The box is the 16-byte tag followed by the ciphertext; the Poly1305 key is the
 * first 32 bytes of the stream and encryption starts at stream byte 32. BouncyCastle has both primitives
 * but not this composition (its ChaCha20-Poly1305 AEAD lays the stream and the tag out differently).
 */
public final class SecretBox {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;

    private static final int POLY_KEY_BYTES = 32;

    private SecretBox() {}

    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        check(key, nonce);
        XSalsa20Engine stream = stream(key, nonce);
        byte[] polyKey = oneTimeKey(stream);
        byte[] box = new byte[TAG_BYTES + plaintext.length];
        stream.processBytes(plaintext, 0, plaintext.length, box, TAG_BYTES);
        mac(polyKey, box, box, 0);
        return box;
    }

    /** The plaintext, or null when the box was not made with this key and nonce (or was altered). */
    public static byte[] open(byte[] key, byte[] nonce, byte[] box) {
        check(key, nonce);
        if (box.length < TAG_BYTES) {
            return null;
        }
        XSalsa20Engine stream = stream(key, nonce);
        byte[] expected = new byte[TAG_BYTES];
        mac(oneTimeKey(stream), box, expected, 0);
        // Constant time, so a forger learns nothing from how long a wrong tag took to refuse.
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(TAG_BYTES, expected, 0, box, 0)) {
            return null;
        }
        byte[] plaintext = new byte[box.length - TAG_BYTES];
        stream.processBytes(box, TAG_BYTES, plaintext.length, plaintext, 0);
        return plaintext;
    }

    private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    /** Takes stream bytes 0..31, leaving the engine at byte 32 where the message starts. */
    private static byte[] oneTimeKey(XSalsa20Engine stream) {
        byte[] polyKey = new byte[POLY_KEY_BYTES];
        stream.processBytes(polyKey, 0, POLY_KEY_BYTES, polyKey, 0);
        return polyKey;
    }

    /** Poly1305 of the ciphertext (box after the tag), written to out at offset; wipes the one-time key. */
    private static void mac(byte[] polyKey, byte[] box, byte[] out, int offset) {
        Poly1305 poly = new Poly1305();
        poly.init(new KeyParameter(polyKey));
        Arrays.fill(polyKey, (byte) 0);
        poly.update(box, TAG_BYTES, box.length - TAG_BYTES);
        poly.doFinal(out, offset);
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
