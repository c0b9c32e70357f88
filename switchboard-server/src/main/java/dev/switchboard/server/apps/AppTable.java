package dev.switchboard.server.apps;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ConfigSetting;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The apps table: one column per per-app setting ({@link ConfigSetting#app()}), named by the setting, with the
 * setting's default, and {@code webhooks} as JSON text. Built from the same metadata as the config, so a
 * per-app setting added to {@link AppConfig} is at once a column of the migration and of the docs. Rows are
 * read by column name, so a table made by an older migration (a column missing: its default) or with columns
 * of the operator's own still reads.
 */
public final class AppTable {
    public static final String NAME = "switchboard_apps";
    /** The PostgreSQL channel the migration's trigger notifies, with {"id":…,"key":…} of the row changed. */
    public static final String CHANNEL = "switchboard_apps";

    private AppTable() {}

    /**
     * The statements of the migration, in order; each safe to run again. A table that already exists is left
     * as it is by these: {@link #addMissingColumns} completes it.
     */
    public static List<String> migration(Dialect d) {
        return migration(d, NAME);
    }

    /** The migration of the table named {@code table} (the {@code apps_table} setting, a checked identifier). */
    public static List<String> migration(Dialect d, String table) {
        List<String> out = new ArrayList<>();
        out.add(createTable(d, table));
        if (d == Dialect.POSTGRESQL) {
            // Trigger names cannot carry a schema; the function's may, and then lives beside its table.
            String fn = table + "_notify";
            String trigger = table.replace('.', '_') + "_notify";
            String truncate = table.replace('.', '_') + "_truncate";
            out.add("CREATE OR REPLACE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    + "BEGIN\n"
                    + "  IF TG_LEVEL = 'STATEMENT' THEN\n"
                    + "    PERFORM pg_notify('" + CHANNEL + "', '{}');\n"
                    + "    RETURN NULL;\n"
                    + "  END IF;\n"
                    + "  IF TG_OP <> 'INSERT' THEN\n"
                    + "    PERFORM pg_notify('" + CHANNEL + "', json_build_object('id', OLD.\"id\", 'key', OLD.\"key\")::text);\n"
                    + "  END IF;\n"
                    + "  IF TG_OP <> 'DELETE' THEN\n"
                    + "    PERFORM pg_notify('" + CHANNEL + "', json_build_object('id', NEW.\"id\", 'key', NEW.\"key\")::text);\n"
                    + "  END IF;\n"
                    + "  RETURN NULL;\n"
                    + "END $$");
            out.add("DROP TRIGGER IF EXISTS " + trigger + " ON " + table);
            out.add("CREATE TRIGGER " + trigger + " AFTER INSERT OR UPDATE OR DELETE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()");
            out.add("DROP TRIGGER IF EXISTS " + truncate + " ON " + table);
            out.add("CREATE TRIGGER " + truncate + " AFTER TRUNCATE ON " + table
                    + " FOR EACH STATEMENT EXECUTE FUNCTION " + fn + "()");
        }
        return out;
    }

    static String createTable(Dialect d) {
        return createTable(d, NAME);
    }

    static String createTable(Dialect d, String table) {
        AppConfig defaults = AppConfig.defaults("", "", "");
        StringBuilder b = new StringBuilder("CREATE TABLE IF NOT EXISTS " + table + " (\n");
        List<ConfigSetting> settings = ConfigSetting.app();
        for (ConfigSetting s : settings) {
            b.append("  ").append(d.quote(s.key())).append(' ').append(column(d, s, defaults)).append(",\n");
        }
        b.append("  PRIMARY KEY (").append(d.quote("id")).append("),\n")
                .append("  UNIQUE (").append(d.quote("key")).append(")\n)");
        return b.toString();
    }

    /**
     * The {@code ALTER TABLE} giving a table made by an older version the columns of per-app settings added
     * since, by column name; defined as {@link #createTable} defines them, so the table ends up as a fresh one
     * would be (bar column order). Existing names are matched case-insensitively, as {@link #read} matches
     * them, and only settings' columns are ever added: the operator's own columns stay untouched. Not
     * {@code ADD COLUMN IF NOT EXISTS}: MySQL 8 lacks it, so the caller reads the columns first.
     */
    static Map<String, String> addMissingColumns(Dialect d, Collection<String> existing) {
        return addMissingColumns(d, NAME, existing);
    }

    static Map<String, String> addMissingColumns(Dialect d, String table, Collection<String> existing) {
        Set<String> have = new HashSet<>();
        for (String name : existing) {
            have.add(name.toLowerCase(Locale.ROOT));
        }
        AppConfig defaults = AppConfig.defaults("", "", "");
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigSetting s : ConfigSetting.app()) {
            if (!have.contains(s.key())) {
                out.put(s.key(), "ALTER TABLE " + table + " ADD COLUMN " + d.quote(s.key()) + ' ' + column(d, s, defaults));
            }
        }
        return out;
    }

    /** No row, only the result set's metadata: the columns of the very table the other queries read. */
    static String selectNoRow() {
        return selectNoRow(NAME);
    }

    static String selectNoRow(String table) {
        return "SELECT * FROM " + table + " WHERE 1 = 0";
    }

    private static String column(Dialect d, ConfigSetting s, AppConfig defaults) {
        switch (s.key()) {
            case "id": case "key": case "secret":
                return "VARCHAR(255) NOT NULL";
            default:
                break;
        }
        if (s.isList()) {
            return (d == Dialect.POSTGRESQL ? "JSONB" : "JSON") + " NOT NULL DEFAULT '[]'";
        }
        Object v = read(defaults, s);
        if (s.isBoolean()) {
            return "BOOLEAN NOT NULL DEFAULT " + v.toString().toUpperCase(Locale.ROOT);
        }
        if (s.isInt()) {
            return "INTEGER NOT NULL DEFAULT " + v;
        }
        return "VARCHAR(255) NOT NULL DEFAULT ''";
    }

    static String selectBy(Dialect d, String table, String column) {
        return "SELECT * FROM " + table + " WHERE " + d.quote(column) + " = ?";
    }

    static String selectAll(String table) {
        return "SELECT * FROM " + table;
    }

    /**
     * The current row as an app. A row the config would refuse (an empty secret, bad webhooks JSON) is a
     * {@link dev.switchboard.server.config.ConfigLoader.ConfigException} naming the row's id, never its secret.
     * soketi's columns are understood too ({@link SoketiColumns}), so its apps table serves as it is; a NULL
     * takes the setting's default, as soketi's nullable limit columns mean.
     */
    static AppConfig read(ResultSet rs) throws SQLException {
        Map<String, ConfigSetting> byColumn = new HashMap<>();
        for (ConfigSetting s : ConfigSetting.app()) {
            byColumn.put(s.key(), s);
        }
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> soketi = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String label = meta.getColumnLabel(i).toLowerCase(Locale.ROOT);
            ConfigSetting s = byColumn.get(label);
            if (s == null) {
                SoketiColumns.read(label, rs, i, byColumn, soketi);
                continue;
            }
            Object v;
            if (s.isInt()) {
                int n = rs.getInt(i);
                v = rs.wasNull() ? null : n;
            } else if (s.isBoolean()) {
                boolean b = rs.getBoolean(i);
                v = rs.wasNull() ? null : b;
            } else {
                v = rs.getString(i);
                if (v != null && s.key().equals("webhooks")) {
                    v = SoketiColumns.webhooks((String) v, String.valueOf(values.get("id")));
                }
            }
            if (v != null) {
                values.put(s.key(), v);
            }
        }
        // Our own columns win over soketi's for the same setting (a table with both, half migrated).
        soketi.forEach(values::putIfAbsent);
        Object id = values.get("id");
        return ConfigLoader.appFrom(values, NAME + " row with id '" + id + "'");
    }

    private static Object read(AppConfig app, ConfigSetting s) {
        try {
            return AppConfig.class.getMethod(s.component()).invoke(app);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
