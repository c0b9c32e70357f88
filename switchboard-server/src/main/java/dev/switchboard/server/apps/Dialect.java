package dev.switchboard.server.apps;

import java.util.Locale;

/** The two kinds of database apps can come from; MySQL is spoken through the MariaDB driver. */
public enum Dialect {
    POSTGRESQL("jdbc:postgresql://", '"'),
    MARIADB("jdbc:mariadb://", '`');

    private final String jdbcPrefix;
    private final char quote;

    Dialect(String jdbcPrefix, char quote) {
        this.jdbcPrefix = jdbcPrefix;
        this.quote = quote;
    }

    /** Null for a scheme we do not speak. */
    static Dialect ofScheme(String scheme) {
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "postgres": case "postgresql":
                return POSTGRESQL;
            case "mysql": case "mariadb":
                return MARIADB;
            default:
                return null;
        }
    }

    String jdbcPrefix() {
        return jdbcPrefix;
    }

    /** A column name quoted, since {@code key} is reserved in MySQL. */
    String quote(String name) {
        return quote + name + quote;
    }
}
