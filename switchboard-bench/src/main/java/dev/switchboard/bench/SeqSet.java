package dev.switchboard.bench;

import java.util.BitSet;

/**
 * The sequence numbers one connection received in the current step (a step's numbers start at 0 and
 * are dense, so a bit set is small: 5,000 events are 625 bytes). It starts afresh when a frame of
 * another step arrives, so the controller never has to touch it. Used on the connection's event loop only.
 */
final class SeqSet {
    private final BitSet seen = new BitSet();
    private int step = -1;

    /** Records {@code seq} of {@code step}; false when it was already there (a duplicate delivery). */
    boolean add(int step, int seq) {
        if (step != this.step) {
            seen.clear();
            this.step = step;
        }
        if (seen.get(seq)) {
            return false;
        }
        seen.set(seq);
        return true;
    }
}
