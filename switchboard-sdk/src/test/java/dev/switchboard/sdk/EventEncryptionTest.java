package dev.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.sdk.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Encrypted event data opens with the channel's shared secret, as pusher-js would open it. */
class EventEncryptionTest {
    private static final byte[] MASTER = Base64.getDecoder().decode("zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=");

    @Test
    void roundTripWithTheSharedSecret() {
        EventEncryption encryption = new EventEncryption(MASTER);
        String data = encryption.encrypt("private-encrypted-bla", "{\"message\":\"héllo\"}");
        JsonNode node = Json.parse(data);
        byte[] nonce = Base64.getDecoder().decode(node.get("nonce").textValue());
        assertThat(nonce).hasSize(24);
        byte[] key = Base64.getDecoder().decode(Signatures.sharedSecret("private-encrypted-bla", MASTER));
        byte[] plain = SecretBox.open(key, nonce, Base64.getDecoder().decode(node.get("ciphertext").textValue()));
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"héllo\"}");
        // A fresh nonce every time.
        assertThat(Json.parse(encryption.encrypt("private-encrypted-bla", "x")).get("nonce"))
                .isNotEqualTo(node.get("nonce"));
    }

    @Test
    void withoutMasterKeyTriggeringIsRefused() {
        assertThatThrownBy(() -> new EventEncryption(null).encrypt("private-encrypted-x", "d"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("encryptionMasterKeyBase64");
    }
}
