package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The client port's one route table, over HTTP: which row answers, the 405 of a read-only row (also where the row's
 * port answers 404), the 404 where no row matches, and a HEAD answered like a GET without its body.
 */
class HttpRoutesTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(EdgeFixture server, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readOnlyRowsRefuseOtherMethodsAndUnknownPathsAre404() throws Exception {
        try (EdgeFixture server = EdgeFixture.start()) {
            assertThat(send(server, "POST", "/up").statusCode()).isEqualTo(405);
            assertThat(send(server, "DELETE", "/health").statusCode()).isEqualTo(405);
            // No metrics_token: the client port's /metrics answers 404, but the row is there, so POST is still 405.
            assertThat(send(server, "GET", "/metrics").statusCode()).isEqualTo(404);
            assertThat(send(server, "POST", "/metrics").statusCode()).isEqualTo(405);
            HttpResponse<String> unknown = send(server, "POST", "/up/more");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("{\"error\":\"Not found\"}");
            // The API's row takes every method under /apps/ and answers the method itself.
            assertThat(send(server, "PATCH", "/apps/app-id/channels").statusCode()).isEqualTo(405);
            assertThat(send(server, "GET", "/apps").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aHeadIsAnsweredAsAGetWithoutTheBody() throws Exception {
        try (EdgeFixture server = EdgeFixture.start()) {
            HttpResponse<String> get = send(server, "GET", "/up");
            HttpResponse<String> head = send(server, "HEAD", "/up");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValueAsLong("content-length")).hasValue(get.body().length());
            assertThat(head.headers().firstValue("content-type")).hasValue("application/json");
        }
    }

    @Test
    void theDashboardsRowsExistOnlyWhenItIsOn() throws Exception {
        try (EdgeFixture on = EdgeFixture.start()) {
            HttpResponse<String> page = send(on, "GET", "/dashboard");
            assertThat(page.statusCode()).isEqualTo(301);
            assertThat(page.headers().firstValue("location")).hasValue("/dashboard/");
            assertThat(send(on, "GET", "/dashboard/").statusCode()).isEqualTo(200);
            assertThat(send(on, "GET", "/dashboardx").statusCode()).isEqualTo(404);
        }
        try (EdgeFixture off = EdgeFixture.start("--no-dashboard")) {
            assertThat(send(off, "GET", "/dashboard").statusCode()).isEqualTo(404);
            assertThat(send(off, "GET", "/dashboard/").statusCode()).isEqualTo(404);
        }
    }
}
