package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Java client (pusher-websocket-java 2.4.4) over wss against native TLS, trusting only a CA made
 * for the test, and staying connected across a certificate reload. The client builds its TLS context from the
 * JVM's default trust store, so the test points {@code javax.net.ssl.trustStore} at the test CA for its run.
 */
class JavaClientTlsTest {
    static final Duration WAIT = Duration.ofSeconds(15);

    static TestCertificates ca;
    static Switchboard server;
    static Path cert;
    static Path key;
    static String savedTrustStore;
    static String savedTrustStorePassword;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.newAuthority();
        Path live = Files.createTempDirectory("switchboard-live-");
        cert = live.resolve("cert.pem");
        key = live.resolve("key.pem");
        ca.issue("java-client").installAs(cert, key);
        savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
        savedTrustStorePassword = System.getProperty("javax.net.ssl.trustStorePassword");
        System.setProperty("javax.net.ssl.trustStore", ca.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        server = Switchboard.start(ConfigLoader.load(new String[] {"--host=127.0.0.1", "--port=0", "--metrics-port=0", "--tls-port=0",
                "--tls-cert=" + cert, "--tls-key=" + key, "--tls-watch-seconds=0"}, Map.of()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        restore("javax.net.ssl.trustStore", savedTrustStore);
        restore("javax.net.ssl.trustStorePassword", savedTrustStorePassword);
        System.clearProperty("javax.net.ssl.trustStoreType");
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Test
    void theJavaClientConnectsOverWssAndStaysConnectedAcrossACertificateReload() throws Exception {
        Pusher client = new Pusher("app-key", new PusherOptions().setHost("127.0.0.1")
                .setWssPort(server.tlsPort()).setUseTLS(true));
        List<PusherEvent> events = new CopyOnWriteArrayList<>();
        try {
            client.connect();
            await().atMost(WAIT).until(() -> client.getConnection().getState() == ConnectionState.CONNECTED);
            String socketId = client.getConnection().getSocketId();
            var channel = client.subscribe("tls-orders");
            channel.bind("created", events::add);
            await().atMost(WAIT).until(channel::isSubscribed);

            com.pusher.rest.Pusher http = new com.pusher.rest.Pusher("app-id", "app-key", "app-secret");
            http.setHost("127.0.0.1:" + server.port());
            http.setEncrypted(false);
            assertThat(http.trigger("tls-orders", "created", Map.of("id", 1)).getHttpStatus()).isEqualTo(200);
            await().atMost(WAIT).until(() -> events.size() == 1);

            ca.issue("java-client-renewed").installAs(cert, key);
            assertThat(server.reloadTls()).isTrue();

            assertThat(http.trigger("tls-orders", "created", Map.of("id", 2)).getHttpStatus()).isEqualTo(200);
            await().atMost(WAIT).until(() -> events.size() == 2);
            assertThat(events.get(1).getData()).isEqualTo("{\"id\":2}");
            assertThat(client.getConnection().getState()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(client.getConnection().getSocketId()).isEqualTo(socketId);
            http.close();
        } finally {
            client.disconnect();
        }
    }
}
