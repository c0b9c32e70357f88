package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestPathsTest {

    /** What the HTTP decoder hands over for bytes on the wire: one char per byte. */
    private static String onTheWire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void rawUtf8AndEscapedUtf8AreTheSameName() {
        assertThat(RequestPaths.decode(onTheWire("ключ"), false)).isEqualTo("ключ");
        assertThat(RequestPaths.decode("%D0%BA%D0%BB%D1%8E%D1%87", false)).isEqualTo("ключ");
        assertThat(RequestPaths.decode(onTheWire("z") + "%C3%BC" + onTheWire("rich"), false)).isEqualTo("zürich");
        assertThat(RequestPaths.decode("o%27brien", false)).isEqualTo("o'brien");
        assertThat(RequestPaths.decode("o'brien", false)).isEqualTo("o'brien");
    }

    @Test
    void aJavaStringWithCharactersBeyondLatin1StandsForItsUtf8() {
        assertThat(RequestPaths.decode("東京%20x", false)).isEqualTo("東京 x");
    }

    @Test
    void plusIsASpaceOnlyInQueries() {
        assertThat(RequestPaths.decode("a+b", false)).isEqualTo("a+b");
        assertThat(RequestPaths.decode("a+b", true)).isEqualTo("a b");
    }

    @Test
    void brokenEscapesAndBytesThatAreNotUtf8AreRefused() {
        assertThatThrownBy(() -> RequestPaths.decode("a%4", false)).isInstanceOf(RequestPaths.Malformed.class)
                .hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> RequestPaths.decode("%zz", false)).isInstanceOf(RequestPaths.Malformed.class);
        assertThatThrownBy(() -> RequestPaths.decode("cl\u00e9", false)).isInstanceOf(RequestPaths.Malformed.class)
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> RequestPaths.decode("%C3", false)).isInstanceOf(RequestPaths.Malformed.class);
    }
}
