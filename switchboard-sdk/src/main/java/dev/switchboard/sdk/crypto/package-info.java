/**
 * NaCl {@code crypto_secretbox} (XSalsa20 stream cipher + Poly1305 one-time authenticator), which the JDK
 * does not have, for {@code private-encrypted-} channels (PROTOCOL.md §8). A straight port of the reference
 * algorithms (Salsa20/20 and HSalsa20 from the Salsa20 specification, Poly1305 in 26-bit limbs as in
 * poly1305-donna) in constant time, checked against vectors produced by tweetnacl.
 */
package dev.switchboard.sdk.crypto;
