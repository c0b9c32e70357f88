package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every vector of PROTOCOL.md §3.5, §6.2 and §7.1, and the accept/reject rules of {@code verifyAuth}. */
class SignaturesTest {

    private static final String SECRET = "7ad3773142a6692b25b8";
    private static final String KEY = "278d425bdf160c739803";

    @Nested
    class AuthVectors {
        @Test
        void privateChannelStringSignsSocketIdColonChannel() {
            assertThat(Signatures.channelString("1234.1234", "private-foobar")).isEqualTo("1234.1234:private-foobar");
            assertThat(Signatures.hmacSha256Hex(SECRET, Signatures.channelString("1234.1234", "private-foobar")))
                    .isEqualTo("58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
        }

        /** The Mac is kept per thread with its key: a change of secret must re-key it, every time. */
        @Test
        void alternatingSecretsOnOneThreadEachSignWithTheirOwn() {
            for (int i = 0; i < 3; i++) {
                assertThat(Signatures.hmacSha256Hex(SECRET, Signatures.channelString("1234.1234", "private-foobar")))
                        .isEqualTo("58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
                assertThat(Signatures.hmacSha256Hex("tofu", Signatures.channelString("123.456", "test")))
                        .isEqualTo("efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c");
            }
        }

        @Test
        void nodeSdkChannelVector() {
            assertThat(Signatures.hmacSha256Hex("tofu", Signatures.channelString("123.456", "test")))
                    .isEqualTo("efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c");
        }

        @Test
        void presenceStringSignsTheExactChannelDataWithNumericUserId() {
            String channelData = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
            String toSign = Signatures.presenceString("1234.1234", "presence-foobar", channelData);
            assertThat(toSign).isEqualTo("1234.1234:presence-foobar:" + channelData);
            assertThat(Signatures.hmacSha256Hex(SECRET, toSign))
                    .isEqualTo("31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80");
        }

        @Test
        void userStringUsesDoubleColonUserMarker() {
            assertThat(Signatures.userString("123.456", "{\"id\":\"45678\"}")).isEqualTo("123.456::user::{\"id\":\"45678\"}");
            assertThat(Signatures.hmacSha256Hex("tofu", Signatures.userString("123.456", "{\"id\":\"45678\"}")))
                    .isEqualTo("f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd");
            assertThat(Signatures.hmacSha256Hex(SECRET, Signatures.userString("1234.1234", "{\"id\":\"12345\"}")))
                    .isEqualTo("4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba");
        }

        @Test
        void authIsKeyColonHexSignature() {
            assertThat(Signatures.auth(KEY, SECRET, "1234.1234:private-foobar"))
                    .isEqualTo(KEY + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
        }

        @Test
        void stringAndByteOverloadsAgreeOnNonAsciiText() {
            String message = "1234.1234:presence-x:{\"user_id\":\"ü\",\"user_info\":{\"name\":\"Zoë ☃\"}}";
            assertThat(Signatures.hmacSha256Hex(SECRET, message))
                    .isEqualTo(Signatures.hmacSha256Hex(SECRET, message.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Nested
    class SharedSecret {
        @Test
        void matchesNodeSdkVectorWithBase64Padding() {
            byte[] master = Base64.getDecoder().decode("zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=");
            // pusher-http-java emits this without the trailing '='; we produce node's padded form.
            assertThat(Signatures.sharedSecret("private-encrypted-bla", master))
                    .isEqualTo("nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=");
        }
    }

    @Nested
    class HttpApiVectors {
        private static final String BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";

        @Test
        void bodyMd5OfTheDocsExample() {
            assertThat(Signatures.md5Hex(BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo("ec365a775a4cd0599faeb73354201b6f");
        }

        @Test
        void emptyObjectBodyMd5AsSentByTerminate() {
            assertThat(Signatures.md5Hex("{}".getBytes(StandardCharsets.UTF_8))).isEqualTo("99914b932bd37a50b983c5e7c90ae93b");
        }

        @Test
        void postStringToSignOfTheDocsExample() {
            String toSign = "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179"
                    + "&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f";
            assertThat(Signatures.hmacSha256Hex(SECRET, toSign))
                    .isEqualTo("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
        }

        @Test
        void getStringToSignWithUnescapedValues() {
            String toSign = "GET\n/apps/3/channels\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179"
                    + "&auth_version=1.0&filter_by_prefix=presence-&info=user_count";
            assertThat(Signatures.hmacSha256Hex(SECRET, toSign))
                    .isEqualTo("16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291");
        }

        @Test
        void webhookSignatureIsHmacOfTheExactBodyBytes() {
            byte[] body = "{\"time_ms\":1327078148132,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"my-channel\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(Signatures.hmacSha256Hex(SECRET, body))
                    .isEqualTo("c19001ae3963ccb13bf618e5b16ba9848e7e74df0993aa0689168e341c6833cf");
        }
    }

    @Nested
    class VerifyAuth {
        private final String toSign = Signatures.channelString("1234.1234", "private-foobar");
        private final String good = KEY + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";

        @Test
        void acceptsTheCorrectKeyAndSignature() {
            assertThat(Signatures.verifyAuth(good, KEY, SECRET, toSign)).isTrue();
        }

        @Test
        void rejectsAnotherAppKey() {
            String auth = "otherkey:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
            assertThat(Signatures.verifyAuth(auth, KEY, SECRET, toSign)).isFalse();
        }

        @Test
        void rejectsASignatureForAnotherString() {
            assertThat(Signatures.verifyAuth(good, KEY, SECRET, Signatures.channelString("1234.1235", "private-foobar"))).isFalse();
        }

        @Test
        void rejectsASignatureMadeWithAnotherSecret() {
            assertThat(Signatures.verifyAuth(Signatures.auth(KEY, "not-the-secret", toSign), KEY, SECRET, toSign)).isFalse();
        }

        @Test
        void rejectsUppercaseHex() {
            assertThat(Signatures.verifyAuth(good.toUpperCase().replace(KEY.toUpperCase(), KEY), KEY, SECRET, toSign)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", ":", "278d425bdf160c739803", "278d425bdf160c739803:",
                "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
                ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
                "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4:extra",
                "278d425bdf160c739803 58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"})
        void rejectsMalformedAuthValues(String auth) {
            assertThat(Signatures.verifyAuth(auth, KEY, SECRET, toSign)).isFalse();
        }

        @Test
        void rejectsNullAuth() {
            assertThat(Signatures.verifyAuth(null, KEY, SECRET, toSign)).isFalse();
        }
    }

    @Nested
    class ConstantTimeMatch {
        @ParameterizedTest
        @CsvSource({"abc,abc,true", "abc,abd,false", "abc,ab,false", "'',''  ,true"})
        void comparesWholeStrings(String a, String b, boolean expected) {
            assertThat(Signatures.matches(a, b)).isEqualTo(expected);
        }

        @Test
        void nullNeverMatches() {
            assertThat(Signatures.matches(null, null)).isFalse();
            assertThat(Signatures.matches("a", null)).isFalse();
            assertThat(Signatures.matches(null, "a")).isFalse();
        }
    }

    @Test
    void hexIsLowercaseTwoDigitsPerByte() {
        assertThat(Signatures.hex(new byte[] {0, 15, (byte) 0xab, (byte) 0xff})).isEqualTo("000fabff");
    }

    @Nested
    class WellFormedAuth {
        private final String sig = Signatures.hmacSha256Hex(SECRET, "1234.1234:private-foobar");

        @Test
        void acceptsKeyColonSixtyFourHexDigitsInEitherCase() {
            assertThat(Signatures.isWellFormedAuth(KEY + ":" + sig)).isTrue();
            assertThat(Signatures.isWellFormedAuth(KEY + ":" + sig.toUpperCase())).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "", ":", "278d425bdf160c739803", "278d425bdf160c739803:",
                ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
                "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a",
                "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4a",
                "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3zz",
                "a:b:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
                "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4\n"})
        void rejectsAnythingElse(String auth) {
            assertThat(Signatures.isWellFormedAuth(auth)).isFalse();
        }

        @Test
        void rejectsNull() {
            assertThat(Signatures.isWellFormedAuth(null)).isFalse();
        }
    }
}
