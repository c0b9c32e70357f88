package dev.switchboard.server.apps;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code apps_from} URL taken apart: the JDBC URL (without credentials, so that no pool or driver log can
 * show the password), the user and password, and a redacted form for our own messages.
 *
 * @param redacted scheme, user, host, port and database: what logs and errors say, never the password
 */
public record DatabaseUrl(Dialect dialect, String jdbcUrl, String user, String password, String redacted) {

    /** An {@link IllegalArgumentException} whose message never holds the password. */
    public static DatabaseUrl parse(String url) {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("apps_from is not a valid URL (at index " + e.getIndex() + ")");
        }
        Dialect dialect = u.getScheme() == null ? null : Dialect.ofScheme(u.getScheme());
        if (dialect == null) {
            throw new IllegalArgumentException("apps_from must start with postgresql://, mysql:// or mariadb://");
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("apps_from has no host (" + u.getScheme() + "://user:password@host:port/db)");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (path.length() <= 1) {
            throw new IllegalArgumentException("apps_from names no database (" + u.getScheme() + "://user:password@host:port/db)");
        }
        String user = null;
        String password = null;
        if (u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String hostPort = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        String jdbc = dialect.jdbcPrefix() + hostPort + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        String shown = u.getScheme() + "://" + (user == null ? "" : user + "@") + hostPort + path;
        return new DatabaseUrl(dialect, jdbc, user, password, shown);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return redacted;
    }
}
