package dev.switchboard.server.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
        return create(new TestDatabase(Dialect.POSTGRESQL, "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres"),
                "PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth)");
    }

    static TestDatabase mariadb() {
        return create(new TestDatabase(Dialect.MARIADB, "jdbc:mariadb://127.0.0.1:3306/", "root"),
                "MariaDB at 127.0.0.1:3306 (user root, empty password)");
    }

    private static TestDatabase create(TestDatabase db, String what) {
        try (Connection c = DriverManager.getConnection(db.adminUrl, db.user, "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db.name);
        } catch (SQLException e) {
            throw new IllegalStateException("These tests need " + what + ", which could not be reached: "
                    + e.getMessage(), e);
        }
        db.execute(AppTable.migration(db.dialect).toArray(new String[0]));
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
