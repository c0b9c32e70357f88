package dev.switchboard.server.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A database of its own, with a random name, on the machine's real PostgreSQL or MariaDB; dropped by
 * {@link #close}. When the server cannot be reached the test fails saying which one and where.
 */
final class TestDatabase implements AutoCloseable {
    final Dialect dialect;
    final String name;
    private final String adminUrl;
    private final String user;

    private TestDatabase(Dialect dialect, String adminUrl, String user) {
        this.dialect = dialect;
        this.adminUrl = adminUrl;
        this.user = user;
        this.name = "sb_apps_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    static TestDatabase postgres() {
        return migrated(empty(Dialect.POSTGRESQL));
    }

    static TestDatabase mariadb() {
        return migrated(empty(Dialect.MARIADB));
    }

    /** A database without the apps table, for a test to make the table of an older version in. */
    static TestDatabase empty(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL
                ? create(new TestDatabase(Dialect.POSTGRESQL, "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres"),
                        "PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth)")
                : create(new TestDatabase(Dialect.MARIADB, "jdbc:mariadb://127.0.0.1:3306/", "root"),
                        "MariaDB at 127.0.0.1:3306 (user root, empty password)");
    }

    private static TestDatabase migrated(TestDatabase db) {
        db.execute(AppTable.migration(db.dialect).toArray(new String[0]));
        return db;
    }

    private static TestDatabase create(TestDatabase db, String what) {
        try (Connection c = DriverManager.getConnection(db.adminUrl, db.user, "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db.name);
        } catch (SQLException e) {
            throw new IllegalStateException("These tests need " + what + ", which could not be reached: "
                    + e.getMessage(), e);
        }
        return db;
    }

    /** The apps_from URL of this database, on {@code port} (a {@link dev.switchboard.server.testing.TcpProxy} in front of the real one). */
    String url(int port) {
        return (dialect == Dialect.POSTGRESQL ? "postgresql" : "mysql") + "://" + user + "@127.0.0.1:" + port + "/" + name;
    }

    int port() {
        return dialect == Dialect.POSTGRESQL ? 5432 : 3306;
    }

    Connection connect() throws SQLException {
        String base = dialect == Dialect.POSTGRESQL ? "jdbc:postgresql://127.0.0.1:5432/" : "jdbc:mariadb://127.0.0.1:3306/";
        return DriverManager.getConnection(base + name, user, "");
    }

    void execute(String... sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(dialect + " database " + name + ": " + e.getMessage(), e);
        }
    }

    /** The quoted name of the key column ({@code key} is reserved in MySQL). */
    String key() {
        return dialect.quote("key");
    }

    void insertApp(String id, String key, String secret) {
        execute("INSERT INTO " + AppTable.NAME + " (id, " + key() + ", secret) VALUES ('" + id + "', '" + key
                + "', '" + secret + "')");
    }

    /** The names of the apps table's columns, as the database reports them. */
    List<String> columns() {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(AppTable.selectNoRow())) {
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getMetaData().getColumnName(i));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(dialect + " database " + name + ": " + e.getMessage(), e);
        }
    }

    /** The one value of a one-row, one-column query. */
    String queryOne(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row: " + sql);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(dialect + " database " + name + ": " + e.getMessage(), e);
        }
    }

    void update(String id, String assignments) {
        execute("UPDATE " + AppTable.NAME + " SET " + assignments + " WHERE id = '" + id + "'");
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(adminUrl, user, "");
             Statement st = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } else {
                st.execute("DROP DATABASE IF EXISTS " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Dropping " + dialect + " database " + name + ": " + e.getMessage(), e);
        }
    }
}
