package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void decodesPathSegmentsIndividually() {
        RequestTarget t = RequestTarget.parse("/apps/1/users/a%2Fb%20c+d/terminate_connections?x=1");
        assertThat(t.segments()).containsExactly("apps", "1", "users", "a/b c+d", "terminate_connections");
        assertThat(t.rawPath()).isEqualTo("/apps/1/users/a%2Fb%20c+d/terminate_connections");
        assertThat(t.decodedPath()).isEqualTo("/apps/1/users/a/b c+d/terminate_connections");
    }

    @Test
    void decodesUtf8UserIds() {
        RequestTarget t = RequestTarget.parse("/apps/1/users/%C3%A9l%C3%A8ve");
        assertThat(t.segments().get(3)).isEqualTo("élève");
    }

    @Test
    void decodesQueryValuesWithPlusAsSpace() {
        RequestTarget t = RequestTarget.parse("/x?info=user_count%2Csubscription_count&q=a+b&empty&Upper=V");
        assertThat(t.param("info")).isEqualTo("user_count,subscription_count");
        assertThat(t.param("q")).isEqualTo("a b");
        assertThat(t.param("empty")).isEmpty();
        assertThat(t.param("upper")).isEqualTo("V");
    }

    @Test
    void malformedEscapesAre400() {
        assertThat(catchThrowableOfType(ApiProblem.class, () -> RequestTarget.parse("/apps/1/users/%zz")).status())
                .isEqualTo(400);
        assertThat(catchThrowableOfType(ApiProblem.class, () -> RequestTarget.parse("/apps/1?a=%4")).status())
                .isEqualTo(400);
    }

    @Test
    void absoluteFormIsReducedToThePath() {
        RequestTarget t = RequestTarget.parse("http://localhost:6001/apps/1/channels?a=b");
        assertThat(t.rawPath()).isEqualTo("/apps/1/channels");
        assertThat(t.param("a")).isEqualTo("b");
    }
}
