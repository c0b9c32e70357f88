package dev.switchboard.server.dashboard;

/**
 * One HTTP request to {@code /dashboard…}, as the edge hands it over.
 *
 * @param uri           path and query as sent
 * @param authorization the {@code Authorization} header, or null
 */
public record DashboardRequest(String method, String uri, String authorization, byte[] body) {

    public String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
