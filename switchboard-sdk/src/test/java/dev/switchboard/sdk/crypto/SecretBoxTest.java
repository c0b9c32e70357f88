package dev.switchboard.sdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.protocol.Signatures;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
    void poly1305MatchesRfc8439() {
        // RFC 8439 §2.5.2.
        byte[] key = hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        assertThat(Signatures.hex(Poly1305.mac(key, msg, 0, msg.length))).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
    }

    @Test
    void hsalsa20MatchesTheNaclCoreVector() {
        // NaCl tests/core1.c: HSalsa20 of the shared secret with a zero nonce.
        byte[] shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertThat(Signatures.hex(Salsa20.hsalsa20(shared, new byte[16])))
                .isEqualTo("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    }

    @Test
    void badKeyOrNonceSizesAreRefused() {
        assertThatThrownBy(() -> SecretBox.seal(new byte[31], new byte[24], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.seal(new byte[32], new byte[23], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(i * 2, i * 2 + 2), 16);
        }
        return out;
    }
}
