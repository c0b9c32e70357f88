package dev.switchboard.server.apps;

import static dev.switchboard.server.testing.Waits.eventually;
import static dev.switchboard.server.testing.Waits.throughoutQuietPeriod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.EventLog;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.ServerUnderTest;
import dev.switchboard.server.testing.TcpProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Apps from a real database, driven with the official Java client and HTTP library: the same tests for
 * PostgreSQL and MariaDB. One node per class, with a 1 s cache TTL, reaches its database through a
 * {@link TcpProxy}, so that a test can cut it off while clients stay connected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseAppsContract {
    static final int TTL_SECONDS = 1;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    TestDatabase db;
    TcpProxy relay;
    ServerUnderTest server;
    /** Closed after each test, the last added first (clients before a node of the test's own). */
    private final Deque<AutoCloseable> perTest = new ArrayDeque<>();

    abstract TestDatabase createDatabase();

    record App(String id, String key, String secret) {}

    @BeforeAll
    void startServer() {
        db = createDatabase();
        relay = new TcpProxy(db.port());
        server = start(TTL_SECONDS);
    }

    /** A node on a free port serving only the database's apps, as the command line would start it. */
    ServerUnderTest startForThisTest(int ttlSeconds) {
        ServerUnderTest node = start(ttlSeconds);
        perTest.add(node);
        return node;
    }

    ServerUnderTest start(int ttlSeconds) {
        // A free metrics port: the default 9601 may be taken by another node on the machine (then none is served).
        ServerConfig config = ConfigLoader.load(new String[] {"--port", "0", "--metrics-port", "0", "--apps-from", db.url(relay.port()),
                "--apps-cache-ttl-seconds", Integer.toString(ttlSeconds)}, Map.of());
        assertThat(config.apps()).as("no built-in app next to the database's").isEmpty();
        return ServerUnderTest.start(config);
    }

    @AfterEach
    void closeClients() throws Exception {
        relay.restore();
        AutoCloseable c;
        while ((c = perTest.pollLast()) != null) {
            c.close();
        }
    }

    @AfterAll
    void stopAll() {
        try {
            if (server != null) {
                server.close();
            }
            relay.close();
        } finally {
            db.close();
        }
    }

    App newApp() {
        int n = SEQUENCE.incrementAndGet();
        App app = new App("db-app-" + n, "db-key-" + n, "db-secret-" + n);
        db.insertApp(app.id(), app.key(), app.secret());
        return app;
    }

    JavaClient client(String key, ServerUnderTest node) {
        JavaClient c = JavaClient.of(key, node.port());
        perTest.add(c);
        return c;
    }

    RawSocket rawSocket(String key, ServerUnderTest node) {
        RawSocket s = RawSocket.open(node.port(), key);
        perTest.add(s);
        return s;
    }

    Pusher http(App app, String secret, ServerUnderTest node) {
        Pusher p = new Pusher(app.id(), app.key(), secret);
        p.setHost("127.0.0.1:" + node.port());
        p.setEncrypted(false);
        perTest.add(p);
        return p;
    }

    static String getMetrics(ServerUnderTest node) {
        return getFrom(node.metricsPort(), "/metrics");
    }

    static String get(ServerUnderTest node, String path) {
        return getFrom(node.port(), path);
    }

    private static String getFrom(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Long enough for the cache TTL to pass, with room for a slow machine. */
    static ConditionFactory withinTtl() {
        return Awaitility.await().atMost(Duration.ofSeconds(TTL_SECONDS + 10)).pollInterval(Duration.ofMillis(50));
    }

    @Test
    void aClientConnectsToADatabaseAppAndGetsWhatItsServerTriggers() {
        App app = newApp();
        JavaClient client = client(app.key(), server).connect();
        EventLog log = client.subscribe("orders", "created");
        var result = http(app, app.secret(), server).trigger("orders", "created", Map.of("id", 7));
        assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(200);
        assertThat(log.awaitEvent("created").getData()).isEqualTo("{\"id\":7}");
    }

    /** The first connection to a database app, not yet cached, is checked against its allowed_origins too. */
    @Test
    void aDatabaseAppsAllowedOriginsHoldFromItsFirstConnection() {
        // Inserted with its origins in one statement: an insert then an update would race the update's NOTIFY
        // (PostgreSQL) against the first connection, which could read the row as inserted.
        int n = SEQUENCE.incrementAndGet();
        App app = new App("db-app-" + n, "db-key-" + n, "db-secret-" + n);
        db.execute("INSERT INTO " + AppTable.NAME + " (id, " + db.key() + ", secret, allowed_origins) VALUES ('"
                + app.id() + "', '" + app.key() + "', '" + app.secret() + "', '[\"https://app.example.com\"]')");

        RawSocket foreign = RawSocket.openFrom(server.port(), app.key(), "https://evil.example.net");
        perTest.add(foreign);
        assertThat(foreign.awaitCloseCode()).isEqualTo(4009);
        RawSocket listed = RawSocket.openFrom(server.port(), app.key(), "https://app.example.com");
        perTest.add(listed);
        assertThat(listed.awaitEvent("pusher:connection_established")).isNotNull();
    }

    @Test
    void aDisabledAppRefusesNewConnectionsWith4003AndApiCallsWith403AndClosesOpenOnes() {
        App app = newApp();
        JavaClient open = client(app.key(), server).connect();
        assertThat(http(app, app.secret(), server).get("/channels", Map.of()).getHttpStatus()).isEqualTo(200);

        db.update(app.id(), "enabled = false");

        withinTtl().until(() -> http(app, app.secret(), server).get("/channels", Map.of()).getHttpStatus() == 403);
        assertThat(rawSocket(app.key(), server).awaitCloseCode()).isEqualTo(4003);
        withinTtl().until(() -> open.state() == ConnectionState.DISCONNECTED);

        db.update(app.id(), "enabled = true");
        withinTtl().until(() -> http(app, app.secret(), server).get("/channels", Map.of()).getHttpStatus() == 200);
        client(app.key(), server).connect();
    }

    @Test
    void aRotatedSecretRefusesTheOldSignatureAndAcceptsTheNewOne() {
        App app = newApp();
        String rotated = "rotated-" + app.secret();
        assertThat(http(app, app.secret(), server).trigger("c", "e", "{}").getHttpStatus()).isEqualTo(200);
        RawSocket open = rawSocket(app.key(), server);
        String socketId = open.socketId();

        db.update(app.id(), "secret = '" + rotated + "'");

        withinTtl().until(() -> http(app, rotated, server).trigger("c", "e", "{}").getHttpStatus() == 200);
        assertThat(http(app, app.secret(), server).trigger("c", "e", "{}").getHttpStatus()).isEqualTo(401);
        // A connection opened before the rotation: its channel auth is checked against the new secret too.
        open.send(subscribe(socketId, "private-old", app.key(), app.secret()));
        open.send(subscribe(socketId, "private-new", app.key(), rotated));
        assertThat(open.awaitEvent("pusher:error").toString()).contains("Invalid signature");
        JsonNode accepted = open.awaitEvent("pusher_internal:subscription_succeeded");
        assertThat(accepted.get("channel").textValue()).isEqualTo("private-new");
        assertThat(open.events("pusher_internal:subscription_succeeded")).hasSize(1);
    }

    private static String subscribe(String socketId, String channel, String key, String secret) {
        String auth = Signatures.auth(key, secret, Signatures.channelString(socketId, channel));
        return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"" + auth + "\"}}";
    }

    @Test
    void cutOffItsDatabaseTheNodeKeepsServingCachedAppsAndRefusesUnknownOnesAtOnce() {
        App app = newApp();
        JavaClient client = client(app.key(), server).connect();
        EventLog log = client.subscribe("news", "flash");
        assertThat(get(server, "/up")).startsWith("200 {\"ok\":true,\"apps_db\":\"up\",\"node\":");

        relay.cut();

        eventually().until(() -> get(server, "/up").startsWith("200 {\"ok\":true,\"apps_db\":\"down\",\"node\":"));
        assertThat(getMetrics(server)).contains("switchboard_apps_db_up 0.0");
        // Past the TTL the cached app still serves: its triggers are accepted and delivered.
        throughoutQuietPeriod().untilAsserted(() ->
                assertThat(http(app, app.secret(), server).trigger("news", "flash", "{}").getHttpStatus()).isEqualTo(200));
        log.awaitEvent("flash");
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        // An app the node has never seen is unknown while the database is away: refused, not left waiting.
        assertThat(rawSocket("never-seen-key", server).awaitCloseCode()).isEqualTo(4001);
        App unseen = new App("never-seen-id", "never-seen-key", "s");
        assertThat(http(unseen, "s", server).get("/channels", Map.of()).getHttpStatus()).isEqualTo(404);
        // A new connection to the cached app is still accepted.
        client(app.key(), server).connect();

        relay.restore();

        eventually().until(() -> get(server, "/up").startsWith("200 {\"ok\":true,\"apps_db\":\"up\",\"node\":"));
        App later = newApp();
        client(later.key(), server).connect();
    }

    @Test
    void aDatabaseAppWithTheKeyOfAConfigAppStopsTheStartAndOneAddedLaterIsRefused() {
        ServerConfig withDefaultApp = ServerConfig.defaults().withPort(0).with("metrics_port", 0).withAppsFrom(db.url(relay.port()), false, 1);
        String id = "clash-" + SEQUENCE.incrementAndGet();
        db.insertApp(id, "app-key", "clash-secret");
        try {
            assertThatThrownBy(() -> ServerUnderTest.start(withDefaultApp))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'" + id + "' has the key of config app 'app-id'")
                    .hasMessageNotContaining("clash-secret");
        } finally {
            db.execute("DELETE FROM " + AppTable.NAME + " WHERE id = '" + id + "'");
        }

        ServerUnderTest node = ServerUnderTest.start(withDefaultApp);
        perTest.add(node);
        try {
            db.insertApp(id, "app-key", "clash-secret");
            App clashing = new App(id, "app-key", "clash-secret");
            assertThat(http(clashing, "clash-secret", node).get("/channels", Map.of()).getHttpStatus()).isEqualTo(404);
            App config = new App("app-id", "app-key", "app-secret");
            assertThat(http(config, "app-secret", node).get("/channels", Map.of()).getHttpStatus()).isEqualTo(200);
        } finally {
            db.execute("DELETE FROM " + AppTable.NAME + " WHERE id = '" + id + "'");
        }
    }

    /**
     * A table made by an older version, with columns of the operator's own: the migration adds the columns
     * of the settings added since, as a fresh table has them, and leaves the rest alone; run again, it is a no-op.
     */
    @Test
    void theMigrationAddsToATableOfAnOlderVersionTheColumnsItLacksAndKeepsTheOperatorsOwn() {
        try (TestDatabase old = TestDatabase.empty(db.dialect)) {
            old.execute("CREATE TABLE " + AppTable.NAME + " (id VARCHAR(255) NOT NULL, " + old.key()
                            + " VARCHAR(255) NOT NULL, secret VARCHAR(255) NOT NULL, enabled BOOLEAN NOT NULL DEFAULT TRUE,"
                            + " PRIMARY KEY (id))",
                    "ALTER TABLE " + AppTable.NAME + " ADD COLUMN tenant_note VARCHAR(64)");
            old.execute("INSERT INTO " + AppTable.NAME + " (id, " + old.key() + ", secret, tenant_note)"
                    + " VALUES ('old-id', 'old-key', 'old-secret', 'kept')");
            List<String> fresh = db.columns();

            try (JdbcAppSource source = new JdbcAppSource(DatabaseUrl.parse(old.url(old.port())), 2, 5000)) {
                source.migrate();

                assertThat(lowercase(old.columns())).containsExactlyInAnyOrderElementsOf(
                        concat(lowercase(fresh), List.of("tenant_note")));
                assertThat(source.byId("old-id")).isEqualTo(AppConfig.defaults("old-id", "old-key", "old-secret"));
                old.update("old-id", "max_connections = 7, allowed_origins = '[\"https://a.example.com\"]'");
                AppConfig updated = source.byKey("old-key");
                assertThat(updated.maxConnections()).isEqualTo(7);
                assertThat(updated.allowedOrigins()).containsExactly("https://a.example.com");
                assertThat(old.queryOne("SELECT tenant_note FROM " + AppTable.NAME)).isEqualTo("kept");

                source.migrate();

                assertThat(lowercase(old.columns())).hasSize(fresh.size() + 1);
                assertThat(source.byId("old-id").maxConnections()).isEqualTo(7);
            }
        }
    }

    /** Nodes started at once all migrate: none may fail on a column another one has just added. */
    @Test
    void twoNodesMigratingAnOldTableAtOnceBothSucceed() throws Exception {
        try (TestDatabase old = TestDatabase.empty(db.dialect);
             JdbcAppSource one = new JdbcAppSource(DatabaseUrl.parse(old.url(old.port())), 1, 5000);
             JdbcAppSource two = new JdbcAppSource(DatabaseUrl.parse(old.url(old.port())), 1, 5000)) {
            old.execute("CREATE TABLE " + AppTable.NAME + " (id VARCHAR(255) NOT NULL, " + old.key()
                    + " VARCHAR(255) NOT NULL, secret VARCHAR(255) NOT NULL, PRIMARY KEY (id))");
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (JdbcAppSource node : List.of(one, two)) {
                    runs.add(threads.submit(() -> {
                        start.await();
                        node.migrate();
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(60, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(lowercase(old.columns())).containsExactlyInAnyOrderElementsOf(lowercase(db.columns()));
        }
    }

    private static List<String> lowercase(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
