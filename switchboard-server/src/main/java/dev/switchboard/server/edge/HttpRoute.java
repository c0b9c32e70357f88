package dev.switchboard.server.edge;

/**
 * One row of the edge's route table: the paths a port answers, and whether it takes every method or only reads
 * ({@code GET}, {@code HEAD}; any other method is a 405 there).
 *
 * @param path   the whole path, or with {@code prefix} its beginning
 */
public record HttpRoute(String path, boolean prefix, boolean readOnly, HttpPort port) {

    /** Every path that begins with {@code prefix}, every method. */
    public static HttpRoute under(String prefix, HttpPort port) {
        return new HttpRoute(prefix, true, false, port);
    }

    /** This path only, every method. */
    public static HttpRoute at(String path, HttpPort port) {
        return new HttpRoute(path, false, false, port);
    }

    /** This path only, {@code GET} and {@code HEAD}. */
    public static HttpRoute read(String path, HttpPort port) {
        return new HttpRoute(path, false, true, port);
    }

    boolean matches(String requestPath) {
        return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
    }
}
