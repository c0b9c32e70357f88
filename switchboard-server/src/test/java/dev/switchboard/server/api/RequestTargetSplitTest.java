package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The edge splits a request target at its first {@code ?} once and the API decodes the two parts
 * ({@link RequestTarget#of}); a target given whole ({@link RequestTarget#parse}) must come out the same, refusals
 * included, for every target the edge routes to the API (it begins with {@code /}).
 */
class RequestTargetSplitTest {

    @Property(tries = 2000)
    void theEdgesSplitDecodesAsTheWholeTarget(@ForAll("targets") String uri) {
        int q = uri.indexOf('?');
        Object whole = outcome(() -> RequestTarget.parse(uri));
        Object split = outcome(() -> RequestTarget.of(q < 0 ? uri : uri.substring(0, q), q < 0 ? "" : uri.substring(q + 1)));
        assertThat(split).isEqualTo(whole);
    }

    private static Object outcome(java.util.function.Supplier<RequestTarget> parse) {
        try {
            return parse.get();
        } catch (ApiProblem e) {
            return e.status() + " " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<String> targets() {
        return Arbitraries.strings().withChars("/?#&=+%2Fab C\u00e9").ofMaxLength(24).map(s -> "/" + s);
    }
}
