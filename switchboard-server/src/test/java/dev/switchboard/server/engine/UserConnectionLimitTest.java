package dev.switchboard.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.Apps;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** max_connections_per_user: the newest sign-in past it is refused, stays open and unsigned; a freed place is taken. */
class UserConnectionLimitTest {

    @Test
    void theNewestSignInPastTheLimitIsRefusedAndTheConnectionStaysOpenAndUnsigned() {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("maxConnectionsPerUser", 2)))) {
            EngineFixture.Client first = f.connect();
            EngineFixture.Client second = f.connect();
            EngineFixture.Client third = f.connect();
            first.signin("{\"id\":\"ann\",\"watchlist\":[\"bob\"]}");
            first.awaitFrame("signin_success");
            second.signin("{\"id\":\"ann\",\"watchlist\":[\"bob\"]}");
            second.awaitFrame("signin_success");
            third.signin("{\"id\":\"ann\",\"watchlist\":[\"carl\"]}");
            third.awaitFrame("Connection limit reached: user ann may have 2 signed-in connections");
            assertThat(third.peer.received("signin_success")).isFalse();
            assertThat(third.peer.closedWith).isNull();
            assertThat(third.connection.userId()).isNull();
            assertThat(EngineFixture.now(f.appEngine().user("ann")).connections()).isEqualTo(2);

            f.appEngine().trigger("#server-to-user-ann", "note", "n1", null);
            first.awaitFrame("\"note\"");
            second.awaitFrame("\"note\"");
            third.drain();
            assertThat(third.peer.received("\"note\"")).isFalse();

            // The refused socket may still subscribe; once a place is free it signs in.
            third.subscribe("news");
            third.awaitFrame("subscription_succeeded");
            first.peer.on(() -> {
                first.connection.onClose();
                return null;
            });
            third.signin("{\"id\":\"ann\"}");
            third.awaitFrame("signin_success");
            assertThat(EngineFixture.now(f.appEngine().user("ann")).connections()).isEqualTo(2);
        }
    }

    @Test
    void noLimitByDefault() {
        try (EngineFixture f = new EngineFixture()) {
            for (int i = 0; i < 5; i++) {
                EngineFixture.Client c = f.connect();
                c.signin("{\"id\":\"many\"}");
                c.awaitFrame("signin_success");
            }
            assertThat(EngineFixture.now(f.appEngine().user("many")).connections()).isEqualTo(5);
        }
    }
}
