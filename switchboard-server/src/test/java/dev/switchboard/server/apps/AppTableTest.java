package dev.switchboard.server.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigSetting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statements completing a table of an older version, without a database (the contract runs them). */
class AppTableTest {

    @Test
    void onlyTheSettingsColumnsATableLacksAreAddedDefinedAsInTheCreateTable() {
        Map<String, String> alters = AppTable.addMissingColumns(Dialect.MARIADB,
                List.of("ID", "Key", "secret", "tenant_note"));

        assertThat(alters.keySet()).doesNotContain("id", "key", "secret", "tenant_note")
                .hasSize(ConfigSetting.app().size() - 3);
        assertThat(alters.get("max_connections"))
                .isEqualTo("ALTER TABLE switchboard_apps ADD COLUMN `max_connections` INTEGER NOT NULL DEFAULT -1");
        String create = AppTable.createTable(Dialect.POSTGRESQL);
        AppTable.addMissingColumns(Dialect.POSTGRESQL, List.of()).values().forEach(alter ->
                assertThat(create).contains(alter.substring(alter.indexOf(" ADD COLUMN ") + 12) + ",\n"));
    }

    @Test
    void aCompleteTableNeedsNoStatement() {
        List<String> all = ConfigSetting.app().stream().map(ConfigSetting::key).toList();
        assertThat(AppTable.addMissingColumns(Dialect.POSTGRESQL, all)).isEmpty();
    }
}
