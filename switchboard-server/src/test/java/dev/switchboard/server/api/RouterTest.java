package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    final Endpoint a = call -> Endpoint.now(ApiResponse.ok(Map.of()));
    final Endpoint b = call -> Endpoint.now(ApiResponse.ok(Map.of()));
    final Router router = new Router()
            .add("GET", "apps/{app_id}/users/{user_id}", a)
            .add("DELETE", "apps/{app_id}/users/{user_id}", b)
            .add("GET", "apps/{app_id}/channels", a);

    @Test
    void capturesAppIdAndPathParameter() {
        Router.Match m = router.match("DELETE", List.of("apps", "7", "users", "a/b"));
        assertThat(m.appId()).isEqualTo("7");
        assertThat(m.pathParam()).isEqualTo("a/b");
        assertThat(m.endpoint()).isSameAs(b);
        assertThat(router.match("GET", List.of("apps", "7", "channels")).pathParam()).isNull();
    }

    @Test
    void unknownPathIs404AndWrongMethod405() {
        assertThat(catchThrowableOfType(ApiProblem.class,
                () -> router.match("GET", List.of("apps", "7", "nope"))).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(ApiProblem.class,
                () -> router.match("GET", List.of("apps", "", "channels"))).status()).isEqualTo(404);
        ApiProblem p = catchThrowableOfType(ApiProblem.class,
                () -> router.match("POST", List.of("apps", "7", "users", "x")));
        assertThat(p.status()).isEqualTo(405);
        assertThat(p.getMessage()).contains("GET, DELETE");
    }
}
