package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link WebSocketTarget}'s hand-written path and version checks give the answers of the regular expressions they
 * replaced (kept here as the reference), for strings made of the pieces that matter (slashes, {@code app}, line
 * breaks a regex's {@code .} does not match, escapes, digits, dots, signs) and for any string at all.
 */
class WebSocketTargetPropertiesTest {
    private static final Pattern PATH = Pattern.compile("^(?:/.*)?/app/([^/]+)$");
    private static final Pattern VERSION = Pattern.compile("^\\d+(\\.\\d+)*([-+][0-9A-Za-z.+-]*)?$");

    @Property
    void thePathGivesTheKeyTheRegexGave(@ForAll("paths") String path) {
        Matcher m = PATH.matcher(path);
        assertThat(WebSocketTarget.rawKey(path)).isEqualTo(m.matches() ? m.group(1) : null);
    }

    @Property
    void aVersionIsAcceptedAsTheRegexAcceptedIt(@ForAll("versions") String version) {
        assertThat(WebSocketTarget.isVersion(version)).isEqualTo(VERSION.matcher(version).matches());
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> pieces = pieces("/", "/", "/app/", "app", "/app", "a", "%2F", "..", "\n", "\r", "\u0085",
                "\u2028", "\u2029", "é", " ", "?", "#");
        return Arbitraries.oneOf(
                pieces,
                Arbitraries.strings().ofMaxLength(20),
                // A prefix, "/app/" and a key: the prefix's rules (a '/', no line break) and the key's decide.
                pieces.flatMap(prefix -> pieces.map(key -> prefix + "/app/" + key)),
                Arbitraries.strings().ofMaxLength(8).map(s -> "/app/" + s),
                Arbitraries.strings().ofMaxLength(8).map(s -> s + "/app/k"));
    }

    @Provide
    Arbitrary<String> versions() {
        return Arbitraries.oneOf(
                pieces("1", "0", "42", ".", "-", "+", "a", "Z", "_", "beta", "\n", "٣", " ", "é"),
                Arbitraries.strings().ofMaxLength(12));
    }

    /** Strings of up to 10 of these pieces, in any order. */
    private static Arbitrary<String> pieces(String... pieces) {
        return Arbitraries.of(pieces).list().ofMaxSize(10).map(l -> String.join("", l));
    }
}
