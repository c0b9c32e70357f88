package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeqSetTest {
    @Test
    void aSequenceNumberSeenTwiceInAStepIsADuplicate() {
        SeqSet s = new SeqSet();
        assertThat(s.add(1, 0)).isTrue();
        assertThat(s.add(1, 5)).isTrue();
        assertThat(s.add(1, 5)).isFalse();
        assertThat(s.add(1, 4)).isTrue();
    }

    @Test
    void aNewStepStartsAfresh() {
        SeqSet s = new SeqSet();
        assertThat(s.add(1, 3)).isTrue();
        assertThat(s.add(2, 3)).isTrue();
        assertThat(s.add(2, 3)).isFalse();
    }
}
