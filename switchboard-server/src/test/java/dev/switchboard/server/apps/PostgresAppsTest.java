package dev.switchboard.server.apps;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.ServerUnderTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Apps from the machine's PostgreSQL; also: changes arrive through NOTIFY, long before the TTL. */
class PostgresAppsTest extends DatabaseAppsContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }

    @Test
    void notifyAppliesAChangeAtOnceAlsoAfterTheListeningConnectionWasKilled() {
        // An hour of TTL: only NOTIFY can make these changes visible within the waits below.
        ServerUnderTest node = startForThisTest(3600);
        App app = newApp();
        assertThat(http(app, app.secret(), node).get("/channels", Map.of()).getHttpStatus()).isEqualTo(200);
        client(app.key(), node).connect();

        db.update(app.id(), "enabled = false");

        eventually().until(() -> http(app, app.secret(), node).get("/channels", Map.of()).getHttpStatus() == 403);
        assertThat(rawSocket(app.key(), node).awaitCloseCode()).isEqualTo(4003);

        // Kill the node's connections (the pool's and the LISTEN one): it must listen again on its own, and
        // re-read what it may have missed meanwhile; with an hour of TTL nothing else would apply the change.
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'switchboard'");
        db.update(app.id(), "enabled = true, secret = 'after-kill'");

        eventually().until(() -> http(app, "after-kill", node).get("/channels", Map.of()).getHttpStatus() == 200);
        client(app.key(), node).connect();
    }
}
