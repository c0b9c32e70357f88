package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void shortNamesAreQuotedWhole() {
        assertThat(Names.quote("private-orders")).isEqualTo("private-orders");
        assertThat(Names.quote("")).isEmpty();
        assertThat(Names.quote(null)).isEqualTo("null");
    }

    @Test
    void aNameExactlyAtTheLimitIsQuotedWhole() {
        String name = "a".repeat(Names.QUOTE_LIMIT);
        assertThat(Names.quote(name)).isEqualTo(name);
    }

    @Test
    void aLongerNameIsCutWithItsLength() {
        String name = "b".repeat(Names.QUOTE_LIMIT) + "c".repeat(60_000 - Names.QUOTE_LIMIT);
        assertThat(Names.quote(name)).isEqualTo("b".repeat(Names.QUOTE_LIMIT) + "… (60000 characters)");
        assertThat(Names.quote("a".repeat(Names.QUOTE_LIMIT + 1)))
                .isEqualTo("a".repeat(Names.QUOTE_LIMIT) + "… (65 characters)");
    }

    @Test
    void aSurrogatePairAtTheCutIsNotSplit() {
        String clef = "\uD834\uDD1E"; // U+1D11E, two UTF-16 units
        String name = "x".repeat(Names.QUOTE_LIMIT - 1) + clef + "yyyy";
        String quoted = Names.quote(name);
        assertThat(quoted).isEqualTo("x".repeat(Names.QUOTE_LIMIT - 1) + "… (" + name.length() + " characters)");
        // A pair that ends exactly at the cut is kept whole.
        String kept = "x".repeat(Names.QUOTE_LIMIT - 2) + clef + "yyyy";
        assertThat(Names.quote(kept)).startsWith("x".repeat(Names.QUOTE_LIMIT - 2) + clef + "…");
    }

    @Test
    void anExplicitLimitApplies() {
        assertThat(Names.quote("abcdef", 3)).isEqualTo("abc… (6 characters)");
        assertThat(Names.quote("abc", 3)).isEqualTo("abc");
        assertThatThrownBy(() -> Names.quote("abc", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
