package dev.switchboard.server.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.logging.RateLimitedLog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on {@link AppTable#CHANNEL} over a connection of its own (a pooled one could be recycled under it)
 * and reports each changed app at once. When the connection drops it is made again, with back-off, and
 * "anything may have changed" is reported, since notifications sent meanwhile are lost.
 */
final class PgChangeFeed {
    private static final Logger log = LoggerFactory.getLogger(PgChangeFeed.class);
    /** One line per notification would be one per app change. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the listening connection is checked even when nothing is notified. */
    private static final int CHECK_EVERY_POLLS = 10;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final DatabaseUrl url;
    private final Properties props;
    private final BiConsumer<String, String> changed;
    private final Consumer<Boolean> up;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    PgChangeFeed(DatabaseUrl url, Properties props, BiConsumer<String, String> changed, Consumer<Boolean> up) {
        this.url = url;
        this.props = props;
        this.changed = changed;
        this.up = up;
        this.thread = new Thread(this::run, "switchboard-apps-listen");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long backoff = 500;
        boolean reported = false;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props)) {
                current = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + AppTable.CHANNEL);
                }
                if (reported) {
                    log.info("Apps database {}: listening for changes again", url.redacted());
                }
                reported = false;
                backoff = 500;
                up.accept(true);
                changed.accept(null, null);
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                up.accept(false);
                if (!reported) {
                    // Once per outage, not once per retry.
                    log.warn("Apps database {}: change feed down ({}); cached apps keep serving, retrying",
                            url.redacted(), e.getMessage());
                    reported = true;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            } finally {
                current = null;
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int polls = 0;
        while (!closed) {
            PGNotification[] batch = pg.getNotifications(1000);
            if (batch != null) {
                for (PGNotification n : batch) {
                    deliver(n.getParameter());
                }
            }
            if (++polls % CHECK_EVERY_POLLS == 0 && !c.isValid(5)) {
                throw new SQLException("listening connection is no longer valid");
            }
        }
    }

    private void deliver(String payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            JsonNode id = n.get("id");
            JsonNode key = n.get("key");
            if (id == null && key == null) {
                changed.accept(null, null);
            } else {
                changed.accept(id == null ? null : id.asText(), key == null ? null : key.asText());
            }
        } catch (Exception e) {
            limitedLog.warn("unreadable-notification",
                    "Apps database {}: unreadable notification; refreshing every app", url.redacted());
            changed.accept(null, null);
        }
    }

    void close() {
        closed = true;
        thread.interrupt();
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing to unblock the read; the thread ends either way.
            }
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
