package dev.switchboard.server.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.WebhookConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * soketi 1.6's apps table, made as its app managers expect it (its column names and types: smallint or
 * tinyint(1) booleans, nullable limits, soketi-shaped webhooks), read in place on the machine's PostgreSQL
 * and MariaDB: every column lands on its setting, in our units, and NULL takes our default. The node-level
 * test with pusher-js and the `pusher` SDK is conformance/test/soketi-migration.test.mjs.
 */
class SoketiTableTest {

    private static String table(Dialect d) {
        String bool = d == Dialect.POSTGRESQL ? "smallint" : "tinyint(1)";
        String small = d == Dialect.POSTGRESQL ? "integer" : "tinyint(1)";
        String k = d.quote("key");
        return "CREATE TABLE apps (id varchar(255) NOT NULL, " + k + " varchar(255) NOT NULL, secret varchar(255) NOT NULL,"
                + " max_connections integer NOT NULL, enable_client_messages " + bool + " NOT NULL,"
                + " " + d.quote("enabled") + " " + bool + " NOT NULL, max_backend_events_per_sec integer NOT NULL,"
                + " max_client_events_per_sec integer NOT NULL, max_read_req_per_sec integer NOT NULL, webhooks json,"
                + " max_presence_members_per_channel " + small + " NULL, max_presence_member_size_in_kb " + small + " NULL,"
                + " max_channel_name_length " + small + " NULL, max_event_channels_at_once " + small + " NULL,"
                + " max_event_name_length " + small + " NULL, max_event_payload_in_kb " + small + " NULL,"
                + " max_event_batch_size " + small + " NULL, enable_user_authentication " + bool + " NOT NULL,"
                + " PRIMARY KEY (id))";
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void soketisRowsReadAsOurApps(Dialect dialect) {
        try (TestDatabase db = TestDatabase.empty(dialect)) {
            String k = dialect.quote("key");
            String hooks = "[{\"url\":\"https://hooks.example/a\",\"event_types\":[\"member_added\"],"
                    + "\"filter\":{\"channel_name_starts_with\":\"presence-\"}},"
                    + "{\"url\":\"https://hooks.example/b\",\"event_types\":[],\"filter\":{\"channel_name_ends_with\":\"-x\"}}]";
            db.execute(table(dialect),
                    "INSERT INTO apps (id, " + k + ", secret, max_connections, enable_client_messages, " + dialect.quote("enabled")
                            + ", max_backend_events_per_sec, max_client_events_per_sec, max_read_req_per_sec, webhooks,"
                            + " max_presence_members_per_channel, max_presence_member_size_in_kb, max_channel_name_length,"
                            + " max_event_channels_at_once, max_event_name_length, max_event_payload_in_kb,"
                            + " max_event_batch_size, enable_user_authentication) VALUES"
                            + " ('full', 'full-key', 'full-secret', 200, 0, 1, 50, 20, -1, '" + hooks + "',"
                            + " 30, 4, 100, 60, 90, 100, 5, 1),"
                            + " ('nulls', 'nulls-key', 'nulls-secret', -1, 1, 0, -1, -1, -1, NULL,"
                            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)");
            try (JdbcAppSource source = new JdbcAppSource(DatabaseUrl.parse(db.url(db.port())), "apps", 1, 5000)) {
                AppConfig full = source.byKey("full-key");
                assertThat(full.id()).isEqualTo("full");
                assertThat(full.secret()).isEqualTo("full-secret");
                assertThat(full.maxConnections()).isEqualTo(200);
                assertThat(full.enableClientMessages()).isFalse();
                assertThat(full.enabled()).isTrue();
                assertThat(full.maxApiRequestsPerSecond()).isEqualTo(50);
                assertThat(full.maxClientEventsPerSecond()).isEqualTo(20);
                assertThat(full.maxPresenceMembers()).isEqualTo(30);
                assertThat(full.maxPresenceUserInfoBytes()).isEqualTo(4 * 1024);
                assertThat(full.maxChannelNameLength()).isEqualTo(100);
                assertThat(full.maxChannelsPerTrigger()).isEqualTo(60);
                assertThat(full.maxEventNameLength()).isEqualTo(90);
                assertThat(full.maxEventDataBytes()).isEqualTo(100 * 1024);
                assertThat(full.maxBatchEvents()).isEqualTo(5);
                assertThat(full.requireAuthorizedConnections()).isTrue();
                // The suffix-filtered webhook cannot be honoured: left out rather than sent for every channel.
                assertThat(full.webhooks()).containsExactly(
                        new WebhookConfig("https://hooks.example/a", List.of("member_added"), "presence-", Map.of()));

                AppConfig nulls = source.byId("nulls");
                AppConfig defaults = AppConfig.defaults("nulls", "nulls-key", "nulls-secret");
                assertThat(nulls.enabled()).isFalse();
                assertThat(nulls.enableClientMessages()).isTrue();
                assertThat(nulls.maxConnections()).isEqualTo(-1);
                assertThat(nulls.maxApiRequestsPerSecond()).isEqualTo(-1);
                assertThat(nulls.maxClientEventsPerSecond()).isEqualTo(-1);
                assertThat(nulls.maxPresenceMembers()).isEqualTo(defaults.maxPresenceMembers());
                assertThat(nulls.maxPresenceUserInfoBytes()).isEqualTo(defaults.maxPresenceUserInfoBytes());
                assertThat(nulls.maxEventDataBytes()).isEqualTo(defaults.maxEventDataBytes());
                assertThat(nulls.maxChannelNameLength()).isEqualTo(defaults.maxChannelNameLength());
                assertThat(nulls.webhooks()).isEmpty();

                assertThat(source.all()).extracting(AppConfig::id).containsExactlyInAnyOrder("full", "nulls");
            }
        }
    }
}
