package dev.switchboard.server.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.server.config.AppConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import dev.switchboard.server.config.ConfigLoader.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apps in the {@link AppTable} of a PostgreSQL or MySQL/MariaDB database, through a HikariCP pool whose every
 * wait (connect, validate, socket read, query) is bounded by {@code apps_db_timeout_millis}, so a database that
 * is down answers {@link AppSource.Unavailable} soon rather than never. On PostgreSQL changes also come at once
 * from {@link PgChangeFeed}.
 */
public final class JdbcAppSource implements AppSource {
    private static final Logger log = LoggerFactory.getLogger(JdbcAppSource.class);
    /** MySQL's and MariaDB's "Duplicate column name". */
    private static final int ER_DUP_FIELDNAME = 1060;
    private final DatabaseUrl url;
    /** The {@code apps_table} setting: an identifier checked by the config, so safe to splice into SQL. */
    private final String table;
    private final HikariDataSource pool;
    private final Properties driverProps;
    private final int timeoutSeconds;
    private PgChangeFeed feed;

    public JdbcAppSource(DatabaseUrl url, int poolSize, int timeoutMillis) {
        this(url, AppTable.NAME, poolSize, timeoutMillis);
    }

    public JdbcAppSource(DatabaseUrl url, String table, int poolSize, int timeoutMillis) {
        this.url = url;
        this.table = table;
        this.timeoutSeconds = Math.max(1, (timeoutMillis + 999) / 1000);
        this.driverProps = driverProperties(url, timeoutMillis, timeoutSeconds);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("switchboard-apps");
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            hc.setUsername(url.user());
        }
        if (url.password() != null) {
            hc.setPassword(url.password());
        }
        hc.setDataSourceProperties(withoutCredentials(driverProps));
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(timeoutMillis);
        hc.setValidationTimeout(Math.max(250, timeoutMillis / 2));
        // Start even when the database is down: the registry's first query says so, in its own words.
        hc.setInitializationFailTimeout(-1);
        hc.setReadOnly(false);
        this.pool = new HikariDataSource(hc);
    }

    private static Properties driverProperties(DatabaseUrl url, int timeoutMillis, int timeoutSeconds) {
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        if (url.dialect() == Dialect.POSTGRESQL) {
            // pgjdbc counts in seconds.
            p.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
            p.setProperty("socketTimeout", Integer.toString(timeoutSeconds + 1));
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("ApplicationName", "switchboard");
        } else {
            p.setProperty("connectTimeout", Integer.toString(timeoutMillis));
            p.setProperty("socketTimeout", Integer.toString(timeoutMillis + 1000));
            p.setProperty("tcpKeepAlive", "true");
        }
        return p;
    }

    private static Properties withoutCredentials(Properties p) {
        Properties q = new Properties();
        q.putAll(p);
        q.remove("user");
        q.remove("password");
        return q;
    }

    /**
     * Creates the table (and on PostgreSQL the NOTIFY trigger) when missing, and adds to an existing one the
     * columns of per-app settings it lacks; nodes may run it at once.
     */
    public void migrate() {
        List<String> added;
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            if (url.dialect() == Dialect.POSTGRESQL) {
                c.setAutoCommit(false);
                // Two nodes replacing the trigger function at once would fail with "tuple concurrently updated";
                // held to the commit, it also makes the second node read the columns the first one added.
                st.execute("SELECT pg_advisory_xact_lock(hashtext('" + table + "'))");
            }
            for (String sql : AppTable.migration(url.dialect(), table)) {
                st.execute(sql);
            }
            added = addMissingColumns(st);
            if (url.dialect() == Dialect.POSTGRESQL) {
                c.commit();
            }
        } catch (SQLException e) {
            throw unavailable("migrating the apps table", e);
        }
        if (!added.isEmpty()) {
            log.info("Apps database {}: added to table {} the columns {}", url.redacted(), table, added);
        }
    }

    /** The columns added: those another node added meanwhile (MySQL/MariaDB, see below) are not among them. */
    private List<String> addMissingColumns(Statement st) throws SQLException {
        List<String> existing = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(AppTable.selectNoRow(table))) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                existing.add(meta.getColumnName(i));
            }
        }
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, String> column : AppTable.addMissingColumns(url.dialect(), table, existing).entrySet()) {
            try {
                st.execute(column.getValue());
                added.add(column.getKey());
            } catch (SQLException e) {
                // MySQL has no transactional DDL nor a lock held here, so a node migrating at the same time may
                // add the column between our read and our ALTER: that column is then there, as wanted.
                if (url.dialect() != Dialect.MARIADB || e.getErrorCode() != ER_DUP_FIELDNAME) {
                    throw e;
                }
            }
        }
        return added;
    }

    @Override
    public AppConfig byId(String id) {
        AppConfig app = one("id", id);
        // MySQL compares case-insensitively by default; an app answers only to its exact id and key.
        return app != null && app.id().equals(id) ? app : null;
    }

    @Override
    public AppConfig byKey(String key) {
        AppConfig app = one("key", key);
        return app != null && app.key().equals(key) ? app : null;
    }

    private AppConfig one(String column, String value) {
        try (Connection c = pool.getConnection();
             PreparedStatement st = c.prepareStatement(AppTable.selectBy(url.dialect(), table, column))) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, value);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? AppTable.read(rs) : null;
            }
        } catch (SQLException e) {
            throw unavailable("reading an app", e);
        }
    }

    @Override
    public List<AppConfig> all() {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            List<AppConfig> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(AppTable.selectAll(table))) {
                while (rs.next()) {
                    try {
                        out.add(AppTable.read(rs));
                    } catch (ConfigException bad) {
                        // One bad row must not keep the others from serving; look-ups of it refuse it too.
                        log.warn("Apps database {}: skipping a row: {}", url.redacted(), bad.getMessage());
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable("reading the apps", e);
        }
    }

    @Override
    public void ping() {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            st.execute("SELECT 1");
        } catch (SQLException e) {
            throw unavailable("checking the connection", e);
        }
    }

    @Override
    public synchronized void watch(BiConsumer<String, String> changed, Consumer<Boolean> feedUp) {
        if (url.dialect() == Dialect.POSTGRESQL && feed == null) {
            feed = new PgChangeFeed(url, driverProps, changed, feedUp);
            feed.start();
        }
    }

    @Override
    public boolean hasChangeFeed() {
        return url.dialect() == Dialect.POSTGRESQL;
    }

    @Override
    public String describe() {
        return url.redacted();
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
        }
        pool.close();
    }

    private AppSource.Unavailable unavailable(String doing, SQLException e) {
        return new AppSource.Unavailable("Apps database " + url.redacted() + " failed " + doing + ": " + e.getMessage(), e);
    }
}
