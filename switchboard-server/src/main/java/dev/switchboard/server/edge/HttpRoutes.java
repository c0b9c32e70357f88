package dev.switchboard.server.edge;

import java.util.List;

/**
 * The client port's route table, the one place a path is matched: the rows the wiring gave the edge (the API, the
 * dashboard, metrics) and the edge's own ({@code /up}, {@code /health}). The first row that matches wins; no row is
 * a 404. Immutable.
 */
final class HttpRoutes {
    private final HttpRoute[] rows;

    HttpRoutes(List<HttpRoute> rows) {
        this.rows = rows.toArray(HttpRoute[]::new);
    }

    /** Null when no row matches. */
    HttpRoute find(String path) {
        for (HttpRoute r : rows) {
            if (r.matches(path)) {
                return r;
            }
        }
        return null;
    }
}
