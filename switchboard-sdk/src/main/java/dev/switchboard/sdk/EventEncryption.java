package dev.switchboard.sdk;

import dev.switchboard.sdk.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event data for {@code private-encrypted-} channels (PROTOCOL.md §8): the channel key is
 * SHA-256(channel ‖ master key) (the same bytes as the shared secret handed to clients), the data is the
 * JSON string {@code {"nonce":"<b64>","ciphertext":"<b64>"}} of a secretbox with a fresh random nonce.
 *
 * <p>The plaintext is the event data exactly as it would be sent unencrypted (a String as it is, anything
 * else as its JSON), so a pusher-js client sees the same value either way: it JSON-parses the decrypted text
 * when it can and otherwise hands over the raw string. (pusher-http-node JSON-encodes even a string payload
 * first, so a string sent through it arrives quoted-then-unquoted; the visible value is the same for non-JSON
 * strings.)
 */
final class EventEncryption {
    private final byte[] masterKey;
    private final SecureRandom random = new SecureRandom();

    EventEncryption(byte[] masterKey) {
        this.masterKey = masterKey;
    }

    String encrypt(String channel, String plaintext) {
        if (masterKey == null) {
            throw new IllegalStateException("Triggering on " + channel
                    + " needs encryptionMasterKeyBase64 in the client's builder");
        }
        byte[] key = Base64.getDecoder().decode(dev.switchboard.protocol.Signatures.sharedSecret(channel, masterKey));
        byte[] nonce = new byte[SecretBox.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] box = SecretBox.seal(key, nonce, plaintext.getBytes(StandardCharsets.UTF_8));
        Map<String, String> data = new LinkedHashMap<>();
        data.put("nonce", Base64.getEncoder().encodeToString(nonce));
        data.put("ciphertext", Base64.getEncoder().encodeToString(box));
        return Json.write(data);
    }

    @Override
    public String toString() {
        return "EventEncryption[" + (masterKey == null ? "off" : "on") + "]";
    }
}
