package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Native TLS on the real server: wss and https, a second port, the providers, and reloading the certificate. */
class TlsEdgeTest {
    static TestCertificates ca;
    static SSLContext trustingCa;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void authority() throws Exception {
        ca = TestCertificates.newAuthority();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trustingCa = SSLContext.getInstance("TLS");
        trustingCa.init(null, tmf.getTrustManagers(), null);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Switchboard start(Path cert, Path key, String... more) {
        List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--port=0", "--metrics-port=0", "--worker-threads=1",
                "--tls-cert=" + cert, "--tls-key=" + key));
        args.addAll(List.of(more));
        Switchboard s = Switchboard.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
        open.add(s);
        return s;
    }

    private RawSocket wss(int port) {
        RawSocket ws = RawSocket.openTls(port, "app-key", trustingCa);
        open.add(ws);
        await().atMost(Duration.ofSeconds(10)).until(() -> ws.first() != null);
        assertThat(ws.first()).contains("pusher:connection_established");
        return ws;
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void wssAndHttpsShareTheMainPortWithEitherProvider(String provider) throws Exception {
        TestCertificates.Issued pair = ca.issue("first");
        Switchboard server = start(pair.cert(), pair.key(), "--tls-provider=" + provider);
        assertThat(server.tlsPort()).isEqualTo(server.port());

        HttpResponse<String> up = HttpClient.newBuilder().sslContext(trustingCa).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/up")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).startsWith("{\"ok\":true");

        RawSocket ws = wss(server.port());
        ws.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"tls-channel\"}}");
        ws.awaitEvent("pusher_internal:subscription_succeeded");
        assertThat(serverCommonName(server.port())).isEqualTo("first");
    }

    @Test
    void plainHttpOnTheTlsPortIsRefusedWithoutHarm() throws Exception {
        TestCertificates.Issued pair = ca.issue("first");
        Switchboard server = start(pair.cert(), pair.key());
        long failures = server.edgeCounters().tlsHandshakeFailures.sum();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/up")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.edgeCounters().tlsHandshakeFailures.sum() > failures);
        wss(server.port());
    }

    @Test
    void aSecondPortSpeaksTlsWhileThePlainOneStays() throws Exception {
        TestCertificates.Issued pair = ca.issue("first");
        Switchboard server = start(pair.cert(), pair.key(), "--tls-port=0");
        assertThat(server.tlsPort()).isPositive().isNotEqualTo(server.port());

        HttpResponse<String> plain = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/up")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        RawSocket ws = RawSocket.open(server.port(), "app-key");
        open.add(ws);
        await().atMost(Duration.ofSeconds(10)).until(() -> ws.first() != null);
        wss(server.tlsPort());
    }

    /**
     * The certificate is replaced on disk and reloaded (as SIGHUP does): a client connected before keeps its
     * connection and still receives, and new handshakes get the new certificate.
     */
    @Test
    void reloadingTheCertificateKeepsOpenConnections() throws Exception {
        Path live = Files.createTempDirectory("switchboard-live-");
        Path cert = live.resolve("cert.pem");
        Path key = live.resolve("key.pem");
        ca.issue("before").installAs(cert, key);
        Switchboard server = start(cert, key, "--tls-watch-seconds=0");
        RawSocket before = wss(server.port());
        before.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"reload\"}}");
        before.awaitEvent("pusher_internal:subscription_succeeded");
        assertThat(serverCommonName(server.port())).isEqualTo("before");

        ca.issue("after").installAs(cert, key);
        assertThat(server.reloadTls()).isTrue();

        assertThat(serverCommonName(server.port())).isEqualTo("after");
        // The socket from before the reload is still open and served.
        before.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        before.awaitEvent("pusher:pong");
        assertThat(before.closeCode()).isNull();
        wss(server.port());
        assertThat(server.edgeCounters().tlsReloads.sum()).isEqualTo(1);
    }

    @Test
    void aChangedFileIsPickedUpByTheWatch() throws Exception {
        Path live = Files.createTempDirectory("switchboard-live-");
        Path cert = live.resolve("cert.pem");
        Path key = live.resolve("key.pem");
        ca.issue("watched-1").installAs(cert, key);
        Switchboard server = start(cert, key, "--tls-watch-seconds=1");
        RawSocket before = wss(server.port());

        TestCertificates.Issued next = ca.issue("watched-2");
        next.installAs(cert, key);
        // A rename within the same millisecond as the first could leave the stamp unchanged: make it differ.
        Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));

        await().atMost(Duration.ofSeconds(15)).until(() -> serverCommonName(server.port()).equals("watched-2"));
        before.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        before.awaitEvent("pusher:pong");
    }

    @Test
    void aBrokenReloadKeepsThePreviousCertificate() throws Exception {
        Path live = Files.createTempDirectory("switchboard-live-");
        Path cert = live.resolve("cert.pem");
        Path key = live.resolve("key.pem");
        ca.issue("good").installAs(cert, key);
        Switchboard server = start(cert, key, "--tls-watch-seconds=0");

        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        assertThat(server.reloadTls()).isFalse();
        assertThat(server.edgeCounters().tlsReloadFailures.sum()).isEqualTo(1);
        assertThat(serverCommonName(server.port())).isEqualTo("good");
    }

    @Test
    void missingFilesStopTheStartWithTheirName() {
        assertThatThrownBy(() -> start(Path.of("/nonexistent/cert.pem"), Path.of("/nonexistent/key.pem")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/nonexistent/cert.pem");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--tls-cert=/a.pem"}, Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("set both or neither");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--tls-cert=/a", "--tls-key=/b",
                "--tls-provider=gnutls"}, Map.of())).hasMessageContaining("auto, openssl or jdk");
    }

    /** The CN of the certificate a fresh handshake on {@code port} presents. */
    private static String serverCommonName(int port) throws IOException {
        try (SSLSocket s = (SSLSocket) trustingCa.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
            String dn = leaf.getSubjectX500Principal().getName();
            return dn.substring(dn.indexOf("CN=") + 3).split(",")[0];
        }
    }
}
