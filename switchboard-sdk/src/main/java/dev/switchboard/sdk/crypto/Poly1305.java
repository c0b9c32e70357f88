package dev.switchboard.sdk.crypto;

/**
 * The Poly1305 one-time authenticator (RFC 8439 §2.5) with a 32-byte one-time key: arithmetic mod 2^130−5
 * in five 26-bit limbs (the poly1305-donna layout), no data-dependent branches.
 */
public final class Poly1305 {
    private static final long M26 = 0x3ffffffL;

    private Poly1305() {}

    /** The 16-byte tag of {@code msg[off..off+len)} under {@code key} (32 bytes: r then s). */
    public static byte[] mac(byte[] key, byte[] msg, int off, int len) {
        if (key.length != 32) {
            throw new IllegalArgumentException("Poly1305 needs a 32-byte key");
        }
        long r0 = u32(key, 0) & 0x3ffffff;
        long r1 = (u32(key, 3) >>> 2) & 0x3ffff03;
        long r2 = (u32(key, 6) >>> 4) & 0x3ffc0ff;
        long r3 = (u32(key, 9) >>> 6) & 0x3f03fff;
        long r4 = (u32(key, 12) >>> 8) & 0x00fffff;
        long s1 = r1 * 5;
        long s2 = r2 * 5;
        long s3 = r3 * 5;
        long s4 = r4 * 5;
        long h0 = 0;
        long h1 = 0;
        long h2 = 0;
        long h3 = 0;
        long h4 = 0;

        byte[] last = new byte[16];
        for (int pos = 0; pos < len; pos += 16) {
            byte[] m = msg;
            int at = off + pos;
            long hibit = 1L << 24;
            if (len - pos < 16) {
                // Final partial block: the bytes, then a 1 byte, then zeros; no implicit 2^128 bit.
                int n = len - pos;
                System.arraycopy(msg, at, last, 0, n);
                last[n] = 1;
                m = last;
                at = 0;
                hibit = 0;
            }
            h0 += u32(m, at) & M26;
            h1 += (u32(m, at + 3) >>> 2) & M26;
            h2 += (u32(m, at + 6) >>> 4) & M26;
            h3 += (u32(m, at + 9) >>> 6) & M26;
            h4 += (u32(m, at + 12) >>> 8) | hibit;

            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

            long c = d0 >>> 26;
            h0 = d0 & M26;
            d1 += c;
            c = d1 >>> 26;
            h1 = d1 & M26;
            d2 += c;
            c = d2 >>> 26;
            h2 = d2 & M26;
            d3 += c;
            c = d3 >>> 26;
            h3 = d3 & M26;
            d4 += c;
            c = d4 >>> 26;
            h4 = d4 & M26;
            h0 += c * 5;
            c = h0 >>> 26;
            h0 &= M26;
            h1 += c;
        }

        // Full carry, then h mod p: compute g = h + 5 − 2^130 and take g when it does not borrow.
        long c = h1 >>> 26;
        h1 &= M26;
        h2 += c;
        c = h2 >>> 26;
        h2 &= M26;
        h3 += c;
        c = h3 >>> 26;
        h3 &= M26;
        h4 += c;
        c = h4 >>> 26;
        h4 &= M26;
        h0 += c * 5;
        c = h0 >>> 26;
        h0 &= M26;
        h1 += c;

        long g0 = h0 + 5;
        c = g0 >>> 26;
        g0 &= M26;
        long g1 = h1 + c;
        c = g1 >>> 26;
        g1 &= M26;
        long g2 = h2 + c;
        c = g2 >>> 26;
        g2 &= M26;
        long g3 = h3 + c;
        c = g3 >>> 26;
        g3 &= M26;
        long g4 = h4 + c - (1L << 26);

        long takeG = (g4 >>> 63) - 1; // all ones when g4 >= 0 (h >= p), else 0
        long keepH = ~takeG;
        h0 = (h0 & keepH) | (g0 & takeG);
        h1 = (h1 & keepH) | (g1 & takeG);
        h2 = (h2 & keepH) | (g2 & takeG);
        h3 = (h3 & keepH) | (g3 & takeG);
        h4 = (h4 & keepH) | (g4 & takeG);

        // h mod 2^128, then + s.
        long w0 = (h0 | (h1 << 26)) & 0xffffffffL;
        long w1 = ((h1 >>> 6) | (h2 << 20)) & 0xffffffffL;
        long w2 = ((h2 >>> 12) | (h3 << 14)) & 0xffffffffL;
        long w3 = ((h3 >>> 18) | (h4 << 8)) & 0xffffffffL;

        long f = w0 + u32(key, 16);
        w0 = f & 0xffffffffL;
        f = w1 + u32(key, 20) + (f >>> 32);
        w1 = f & 0xffffffffL;
        f = w2 + u32(key, 24) + (f >>> 32);
        w2 = f & 0xffffffffL;
        f = w3 + u32(key, 28) + (f >>> 32);
        w3 = f & 0xffffffffL;

        byte[] tag = new byte[16];
        Salsa20.store32(tag, 0, (int) w0);
        Salsa20.store32(tag, 4, (int) w1);
        Salsa20.store32(tag, 8, (int) w2);
        Salsa20.store32(tag, 12, (int) w3);
        return tag;
    }

    private static long u32(byte[] b, int off) {
        return Salsa20.le32(b, off) & 0xffffffffL;
    }
}
