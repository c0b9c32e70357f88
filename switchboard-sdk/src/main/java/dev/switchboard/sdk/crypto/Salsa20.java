package dev.switchboard.sdk.crypto;

/**
 * The Salsa20/20 core, the HSalsa20 key derivation and the XSalsa20 stream (24-byte nonce): a 32-byte key
 * and the first 16 nonce bytes give a subkey via HSalsa20; Salsa20 with that subkey and the last 8 nonce
 * bytes, block counter from 0, gives the stream.
 */
public final class Salsa20 {
    /** "expand 32-byte k" as four little-endian words. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    private Salsa20() {}

    /** XORs {@code in[inOff..inOff+len)} with the XSalsa20 stream starting {@code streamOffset} bytes in. */
    public static void xsalsa20Xor(byte[] key, byte[] nonce24, long streamOffset,
                                   byte[] in, int inOff, byte[] out, int outOff, int len) {
        if (key.length != 32 || nonce24.length != 24) {
            throw new IllegalArgumentException("XSalsa20 needs a 32-byte key and a 24-byte nonce");
        }
        byte[] subkey = hsalsa20(key, nonce24);
        int[] state = initialState(subkey, nonce24, 16);
        byte[] block = new byte[64];
        long counter = streamOffset / 64;
        int skip = (int) (streamOffset % 64);
        int done = 0;
        while (done < len) {
            state[8] = (int) counter;
            state[9] = (int) (counter >>> 32);
            block(state, block);
            int n = Math.min(64 - skip, len - done);
            for (int i = 0; i < n; i++) {
                out[outOff + done + i] = (byte) (in[inOff + done + i] ^ block[skip + i]);
            }
            done += n;
            skip = 0;
            counter++;
        }
    }

    /** HSalsa20(key, nonce[0..16)): 32 bytes, words 0, 5, 10, 15, 6, 7, 8, 9 of the permuted state. */
    static byte[] hsalsa20(byte[] key, byte[] nonce) {
        int[] x = new int[16];
        x[0] = SIGMA[0];
        x[5] = SIGMA[1];
        x[10] = SIGMA[2];
        x[15] = SIGMA[3];
        for (int i = 0; i < 4; i++) {
            x[1 + i] = le32(key, i * 4);
            x[11 + i] = le32(key, 16 + i * 4);
            x[6 + i] = le32(nonce, i * 4);
        }
        rounds(x);
        byte[] out = new byte[32];
        int[] pick = {0, 5, 10, 15, 6, 7, 8, 9};
        for (int i = 0; i < 8; i++) {
            store32(out, i * 4, x[pick[i]]);
        }
        return out;
    }

    /** Salsa20 state for {@code key} and the 8 nonce bytes at {@code nonceOff}; counter words 8 and 9 zero. */
    private static int[] initialState(byte[] key, byte[] nonce, int nonceOff) {
        int[] s = new int[16];
        s[0] = SIGMA[0];
        s[5] = SIGMA[1];
        s[10] = SIGMA[2];
        s[15] = SIGMA[3];
        for (int i = 0; i < 4; i++) {
            s[1 + i] = le32(key, i * 4);
            s[11 + i] = le32(key, 16 + i * 4);
        }
        s[6] = le32(nonce, nonceOff);
        s[7] = le32(nonce, nonceOff + 4);
        return s;
    }

    /** One 64-byte keystream block: the permuted state plus the input state. */
    static void block(int[] state, byte[] out) {
        int[] x = state.clone();
        rounds(x);
        for (int i = 0; i < 16; i++) {
            store32(out, i * 4, x[i] + state[i]);
        }
    }

    /** 20 rounds = 10 double rounds (column round, then row round). */
    private static void rounds(int[] x) {
        for (int i = 0; i < 10; i++) {
            quarter(x, 0, 4, 8, 12);
            quarter(x, 5, 9, 13, 1);
            quarter(x, 10, 14, 2, 6);
            quarter(x, 15, 3, 7, 11);
            quarter(x, 0, 1, 2, 3);
            quarter(x, 5, 6, 7, 4);
            quarter(x, 10, 11, 8, 9);
            quarter(x, 15, 12, 13, 14);
        }
    }

    private static void quarter(int[] x, int a, int b, int c, int d) {
        x[b] ^= Integer.rotateLeft(x[a] + x[d], 7);
        x[c] ^= Integer.rotateLeft(x[b] + x[a], 9);
        x[d] ^= Integer.rotateLeft(x[c] + x[b], 13);
        x[a] ^= Integer.rotateLeft(x[d] + x[c], 18);
    }

    static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void store32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
