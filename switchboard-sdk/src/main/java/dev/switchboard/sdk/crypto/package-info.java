/**
 * NaCl {@code crypto_secretbox} (XSalsa20 stream cipher + Poly1305 one-time authenticator), which the JDK
 * does not have, for {@code private-encrypted-} channels (PROTOCOL.md §8). The primitives are
 * BouncyCastle's ({@code bcprov-jdk18on}); only the NaCl composition lives here, checked byte for byte
 * against vectors produced by tweetnacl.
 */
package dev.switchboard.sdk.crypto;
