package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ConfigLoader.ConfigException;
import dev.switchboard.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} names every app id and its traffic: it is served on its own listener, on the client port only
 * to the metrics token, and a taken default port does not stop a second node on the same machine.
 */
class MetricsListenerTest {
    private static final String TOKEN = "metrics-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Each test names the metrics port itself (or leaves the default): that port is what this class is about. */
    private static EdgeFixture start(String... more) {
        return EdgeFixture.startWithMetricsPortAsGiven(
                Stream.concat(Stream.of("--worker-threads=1"), Stream.of(more)).toArray(String[]::new));
    }

    private static HttpResponse<String> send(int port, String method, String path, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theListenerServesOnlyGetMetrics() throws Exception {
        try (EdgeFixture server = start("--metrics-port=0")) {
            int m = server.metricsPort();
            assertThat(m).isPositive().isNotEqualTo(server.port());
            HttpResponse<String> ok = send(m, "GET", "/metrics", null);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("content-type")).hasValue(MetricsHttp.CONTENT_TYPE);
            assertThat(ok.body()).contains("switchboard_edge_pings_sent");
            assertThat(send(m, "GET", "/metrics?x=1", null).statusCode()).isEqualTo(200);
            // Nothing else of the client port lives here: no API, no health, no WebSocket, no dashboard.
            for (String path : new String[] {"/apps/app-id/channels", "/up", "/app/app-key?protocol=7", "/dashboard/"}) {
                HttpResponse<String> r = send(m, "GET", path, null);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            }
            assertThat(send(m, "POST", "/metrics", null).statusCode()).isEqualTo(405);
            // The client port keeps /metrics to itself without a token.
            HttpResponse<String> hidden = send(server.port(), "GET", "/metrics", "Bearer " + TOKEN);
            assertThat(hidden.statusCode()).isEqualTo(404);
            assertThat(hidden.body()).doesNotContain("switchboard_");
        }
    }

    @Test
    void withATokenTheClientPortServesMetricsToItOnly() throws Exception {
        try (EdgeFixture server = start("--metrics-port=-1", "--metrics-token=" + TOKEN)) {
            assertThat(server.metricsPort()).isEqualTo(-1);
            int p = server.port();
            for (String wrong : new String[] {null, "Bearer " + TOKEN + "x", "Basic " + TOKEN, TOKEN}) {
                HttpResponse<String> r = send(p, "GET", "/metrics", wrong);
                assertThat(r.statusCode()).as(String.valueOf(wrong)).isEqualTo(401);
                assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"switchboard-metrics\"");
                assertThat(r.body()).contains("metrics_token").doesNotContain("switchboard_edge");
            }
            HttpResponse<String> ok = send(p, "GET", "/metrics", "Bearer " + TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("switchboard_edge_pings_sent");
        }
    }

    @Test
    void metricsOffMeansNowhere() throws Exception {
        try (EdgeFixture server = start("--metrics-enabled=false", "--metrics-port=0", "--metrics-token=" + TOKEN)) {
            assertThat(server.metricsPort()).isEqualTo(-1);
            assertThat(send(server.port(), "GET", "/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void anExplicitPortThatIsTakenStopsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            assertThatThrownBy(() -> start("--metrics-port=" + taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot listen for metrics on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /**
     * The default port is taken during this test, by the test itself or, when it cannot bind it, by whoever
     * already holds it: either way the node must start, warn once and serve without the listener.
     */
    @Test
    void aTakenDefaultPortIsAWarningNotAFailure() throws Exception {
        ServerSocket held = new ServerSocket();
        try {
            held.bind(new InetSocketAddress("127.0.0.1", ServerConfig.DEFAULT_METRICS_PORT));
        } catch (IOException alreadyTaken) {
            held.close();
        }
        ch.qos.logback.classic.Logger edgeLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(EdgeServer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        edgeLog.addAppender(appender);
        try (EdgeFixture server = start()) {
            assertThat(server.metricsPort()).isEqualTo(-1);
            assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("Cannot listen for metrics on 127.0.0.1:" + ServerConfig.DEFAULT_METRICS_PORT)
                    .contains("metrics_port");
        } finally {
            edgeLog.detachAppender(appender);
            held.close();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--metrics-token=short"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics_token");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--port=7000", "--metrics-port=7000"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics_port");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--metrics-port=-2"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics_port");
        ServerConfig c = ConfigLoader.load(new String[] {"--host=10.0.0.1"},
                Map.of("SWITCHBOARD_METRICS_HOST", "127.0.0.1", "SWITCHBOARD_METRICS_PORT", "9700"));
        assertThat(c.metricsBindHost()).isEqualTo("127.0.0.1");
        assertThat(c.metricsPort()).isEqualTo(9700);
        assertThat(ServerConfig.defaults().metricsPort()).isEqualTo(9601);
        assertThat(ServerConfig.defaults().metricsBindHost()).isEqualTo("0.0.0.0");
    }
}
