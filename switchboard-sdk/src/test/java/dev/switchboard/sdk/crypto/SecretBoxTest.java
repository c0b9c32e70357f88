package dev.switchboard.sdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.protocol.Signatures;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * secretbox against tweetnacl's output (src/test/resources/crypto/secretbox-vectors.json, made by
 * make-vectors.cjs beside it) and against an encrypted event body captured from pusher-http-node.
 */
class SecretBoxTest {
    private static JsonNode vectors;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = SecretBoxTest.class.getResourceAsStream("/crypto/secretbox-vectors.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
    }

    private static byte[] b64(JsonNode n) {
        return Base64.getDecoder().decode(n.textValue());
    }

    @Test
    void sealMatchesTweetnaclAtEveryBlockBoundary() {
        assertThat(vectors.get("secretbox").size()).isGreaterThan(10);
        for (JsonNode v : vectors.get("secretbox")) {
            byte[] box = SecretBox.seal(b64(v.get("key")), b64(v.get("nonce")), b64(v.get("message")));
            assertThat(Base64.getEncoder().encodeToString(box))
                    .as("message of %d bytes", b64(v.get("message")).length)
                    .isEqualTo(v.get("box").textValue());
        }
    }

    @Test
    void openReversesSealAndRefusesTampering() {
        for (JsonNode v : vectors.get("secretbox")) {
            byte[] key = b64(v.get("key"));
            byte[] nonce = b64(v.get("nonce"));
            byte[] box = b64(v.get("box"));
            assertThat(SecretBox.open(key, nonce, box)).isEqualTo(b64(v.get("message")));
            for (int i : new int[] {0, 15, box.length - 1}) {
                byte[] bad = box.clone();
                bad[i] ^= 1;
                assertThat(SecretBox.open(key, nonce, bad)).as("flipped byte %d", i).isNull();
            }
            byte[] otherNonce = nonce.clone();
            otherNonce[23] ^= 1;
            assertThat(SecretBox.open(key, otherNonce, box)).isNull();
        }
        assertThat(SecretBox.open(new byte[32], new byte[24], new byte[5])).isNull();
    }

    @Test
    void decryptsWhatPusherHttpNodeSends() throws Exception {
        JsonNode node = vectors.get("pusherNode");
        byte[] masterKey = b64(node.get("masterKeyBase64"));
        String channel = node.get("channel").textValue();
        assertThat(Signatures.sharedSecret(channel, masterKey)).isEqualTo(node.get("sharedSecret").textValue());
        JsonNode data = new ObjectMapper().readTree(node.get("body").get("data").textValue());
        byte[] plain = SecretBox.open(Base64.getDecoder().decode(Signatures.sharedSecret(channel, masterKey)),
                b64(data.get("nonce")), b64(data.get("ciphertext")));
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(node.get("plaintext").textValue());
    }

    @Test
    void everyTagByteAndEveryCiphertextByteIsCovered() {
        JsonNode v = vectors.get("secretbox").get(vectors.get("secretbox").size() - 1);
        byte[] key = b64(v.get("key"));
        byte[] nonce = b64(v.get("nonce"));
        byte[] box = b64(v.get("box"));
        assertThat(box.length).isGreaterThan(SecretBox.TAG_BYTES + 64);
        for (int i = 0; i < box.length; i++) {
            byte[] bad = box.clone();
            bad[i] ^= (byte) 0x80;
            assertThat(SecretBox.open(key, nonce, bad)).as("flipped byte %d", i).isNull();
        }
        assertThat(SecretBox.open(key, nonce, Arrays.copyOf(box, box.length - 1))).as("truncated").isNull();
        assertThat(SecretBox.open(key, nonce, Arrays.copyOf(box, box.length + 1))).as("extended").isNull();
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        assertThat(SecretBox.open(otherKey, nonce, box)).as("other key").isNull();
    }

    @Test
    void anEmptyMessageStillCarriesATag() {
        byte[] box = SecretBox.seal(new byte[32], new byte[24], new byte[0]);
        assertThat(box).hasSize(SecretBox.TAG_BYTES);
        assertThat(SecretBox.open(new byte[32], new byte[24], box)).isEmpty();
        box[3] ^= 1;
        assertThat(SecretBox.open(new byte[32], new byte[24], box)).isNull();
    }

    @Test
    void badKeyOrNonceSizesAreRefused() {
        assertThatThrownBy(() -> SecretBox.seal(new byte[31], new byte[24], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.seal(new byte[32], new byte[23], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
