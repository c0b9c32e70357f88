package dev.switchboard.server.apps;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pusher.rest.Pusher;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.JavaClient;
import dev.switchboard.server.testing.RawSocket;
import dev.switchboard.server.testing.RawUpgrade;
import dev.switchboard.server.testing.ServerUnderTest;
import dev.switchboard.server.testing.TcpProxy;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How database apps are looked up by what clients send (issue 21): one decoding of the path for ids and keys,
 * a bounded number of queries for unknown names, and open connections cut off when their app is disabled or
 * deleted. The same tests on PostgreSQL and MariaDB; the node reaches its database through a {@link TcpProxy}
 * that counts the SQL statements on the wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseLookupsContract {
    /** Unknown ids one address asks for in the query-bound test; the figure is for 20,000. */
    private static final int UNKNOWN_IDS = Integer.getInteger("switchboard.test.unknownIds", 2000);
    private static final int LOOKUPS_PER_SECOND = 20;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    TestDatabase db;
    private TcpProxy relay;
    private StatementCounter statements;
    private final Deque<AutoCloseable> perTest = new ArrayDeque<>();

    abstract TestDatabase createDatabase();

    /** The cache TTL of the disable/delete test: long on PostgreSQL, where NOTIFY alone must do it. */
    abstract int changeTtlSeconds();

    record App(String id, String key, String secret) {}

    @BeforeAll
    void startDatabase() {
        db = createDatabase();
        relay = new TcpProxy(db.port());
        statements = new StatementCounter(db.dialect).watch(relay);
    }

    @AfterEach
    void closePerTest() throws Exception {
        AutoCloseable c;
        while ((c = perTest.pollLast()) != null) {
            c.close();
        }
    }

    @AfterAll
    void dropDatabase() {
        try {
            relay.close();
        } finally {
            db.close();
        }
    }

    ServerUnderTest node(int ttlSeconds) {
        ServerUnderTest node = ServerUnderTest.start(ConfigLoader.load(new String[] {"--port", "0", "--metrics-port", "-1",
                "--apps-from", db.url(relay.port()), "--apps-cache-ttl-seconds", Integer.toString(ttlSeconds), "--apps-miss-ttl-seconds", "600",
                "--max-apps-db-lookups-per-ip-per-second", Integer.toString(LOOKUPS_PER_SECOND)}, Map.of()));
        perTest.add(node);
        return node;
    }

    /** Inserted with bound parameters: the ids here hold quotes. */
    App insert(String id, String key) {
        App app = new App(id, key, "secret-" + SEQUENCE.incrementAndGet());
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO " + AppTable.NAME + " (id, " + db.key() + ", secret) VALUES (?, ?, ?)")) {
            st.setString(1, app.id());
            st.setString(2, app.key());
            st.setString(3, app.secret());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return app;
    }

    void delete(App app) {
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("DELETE FROM " + AppTable.NAME + " WHERE id = ?")) {
            st.setString(1, app.id());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(App app, String assignments) {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "UPDATE " + AppTable.NAME + " SET " + assignments + " WHERE id = ?")) {
            st.setString(1, app.id());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encoded(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Pusher http(App app, String secret, ServerUnderTest node) {
        Pusher p = new Pusher(app.id(), app.key(), secret);
        p.setHost("127.0.0.1:" + node.port());
        p.setEncrypted(false);
        perTest.add(p);
        return p;
    }

    static ConditionFactory within(int ttlSeconds) {
        return Awaitility.await().atMost(Duration.ofSeconds(ttlSeconds + 10)).pollInterval(Duration.ofMillis(50));
    }

    @Test
    void anIdWithAQuoteOrANonAsciiLetterAnswersTheApiBeforeAnyClientConnected() {
        ServerUnderTest node = node(60);
        int n = SEQUENCE.incrementAndGet();
        App quote = insert("o'brien-" + n, "quote-key-" + n);
        App zurich = insert("zürich-" + n, "zurich-key-" + n);

        // Escaped as a browser's URL class escapes it, as sent raw (pusher-http-node leaves a quote as it is),
        // and through pusher-http-java: each the same app, found before any client has connected with its key.
        assertThat(RawHttp.signedGet(node.port(), "/apps/" + encoded(quote.id()) + "/channels", quote.key(),
                quote.secret())).isEqualTo(200);
        assertThat(RawHttp.signedGet(node.port(), "/apps/" + quote.id() + "/channels", quote.key(), quote.secret()))
                .isEqualTo(200);
        assertThat(RawHttp.signedGet(node.port(), "/apps/" + encoded(zurich.id()) + "/channels", zurich.key(),
                zurich.secret())).isEqualTo(200);
        assertThat(RawHttp.signedGet(node.port(), "/apps/" + zurich.id() + "/channels", zurich.key(),
                zurich.secret())).as("raw UTF-8 in the request line").isEqualTo(200);
        assertThat(http(quote, quote.secret(), node).get("/channels", Map.of()).getHttpStatus()).isEqualTo(200);
        assertThat(http(zurich, zurich.secret(), node).get("/channels", Map.of()).getHttpStatus()).isEqualTo(200);
    }

    /**
     * A row whose id holds a brace is refused on every read, by a message naming the id; the node serves the
     * other rows, and a client asking for that id gets a 404 without a query.
     */
    @Test
    void aRowWithABraceInItsIdIsRefusedOnLoadNamingItWhileTheOthersServe() {
        int n = SEQUENCE.incrementAndGet();
        App bad = insert("tenant{" + n + "}", "brace-key-" + n);
        App good = insert("good-" + n, "good-key-" + n);
        try (JdbcAppSource source = new JdbcAppSource(DatabaseUrl.parse(db.url(db.port())), 1, 5000)) {
            assertThatThrownBy(() -> source.byId(bad.id()))
                    .isInstanceOf(dev.switchboard.server.config.ConfigLoader.ConfigException.class)
                    .hasMessageContaining("the id 'tenant{" + n + "}' holds '{'")
                    .hasMessageNotContaining(bad.secret());
            assertThat(source.all()).extracting(a -> a.id()).contains(good.id()).doesNotContain(bad.id());
        }
        ServerUnderTest node = node(60);
        assertThat(RawHttp.signedGet(node.port(), "/apps/" + encoded(bad.id()) + "/channels", bad.key(), bad.secret()))
                .isEqualTo(404);
        // Five times the address's allowance of such names: were they looked up, most would be answered 429.
        List<String> braces = new ArrayList<>();
        for (int i = 0; i < 5 * LOOKUPS_PER_SECOND; i++) {
            braces.add("/apps/" + encoded("tenant{" + i + "}") + "/channels?auth_key=x&auth_timestamp=1&auth_version=1.0");
        }
        long before = statements.count();
        assertThat(RawHttp.pipeline(node.port(), InetAddress.getLoopbackAddress(), braces)).containsOnly(404);
        assertThat(statements.count() - before).as("names no app may have are not queried").isLessThan(LOOKUPS_PER_SECOND);
        assertThat(RawHttp.signedGet(node.port(), "/apps/" + good.id() + "/channels", good.key(), good.secret()))
                .isEqualTo(200);
        delete(bad);
    }

    @Test
    void afterASecretRotationTheOldSecretIsRefusedWhicheverSpellingOfTheIdIsSent() {
        int ttl = 1;
        ServerUnderTest node = node(ttl);
        int n = SEQUENCE.incrementAndGet();
        App app = insert("o'neil-ü-" + n, "rotate-key-" + n);
        String escaped = "/apps/" + encoded(app.id()) + "/channels";
        String raw = "/apps/" + app.id() + "/channels";
        // A client connected with the key: the app is cached under its id, as read from the row.
        JavaClient client = JavaClient.of(app.key(), node.port()).connect();
        perTest.add(client);
        assertThat(RawHttp.signedGet(node.port(), escaped, app.key(), app.secret())).isEqualTo(200);

        String rotated = "rotated-" + n;
        update(app, "secret = '" + rotated + "'");

        within(ttl).until(() -> RawHttp.signedGet(node.port(), escaped, app.key(), rotated) == 200);
        assertThat(RawHttp.signedGet(node.port(), escaped, app.key(), app.secret())).isEqualTo(401);
        assertThat(RawHttp.signedGet(node.port(), raw, app.key(), app.secret())).isEqualTo(401);
        assertThat(RawHttp.signedGet(node.port(), raw, app.key(), rotated)).isEqualTo(200);
    }

    @Test
    void aNonAsciiKeyConnectsSentAsRawUtf8OrEscapedAndOtherBytesAreRefusedSayingSo() {
        ServerUnderTest node = node(60);
        int n = SEQUENCE.incrementAndGet();
        App app = insert("cyrillic-" + n, "ключ-" + n);
        InetAddress local = InetAddress.getLoopbackAddress();

        // pusher-js in Node sends the key as raw UTF-8; a browser escapes it.
        byte[] raw = ("/app/" + app.key() + RawSocket.PUSHER_JS_QUERY).getBytes(StandardCharsets.UTF_8);
        try (RawUpgrade ws = RawUpgrade.open(node.port(), raw, local)) {
            assertThat(ws.status()).contains("101");
            assertThat(ws.next()).contains("pusher:connection_established");
        }
        byte[] escaped = ("/app/" + encoded(app.key()) + RawSocket.PUSHER_JS_QUERY).getBytes(StandardCharsets.US_ASCII);
        try (RawUpgrade ws = RawUpgrade.open(node.port(), escaped, local)) {
            assertThat(ws.next()).contains("pusher:connection_established");
        }
        // Latin-1 bytes are no UTF-8: refused with a reason that says so, not as an unknown mojibake key.
        byte[] latin1 = ("/app/clé-" + n + RawSocket.PUSHER_JS_QUERY).getBytes(StandardCharsets.ISO_8859_1);
        try (RawUpgrade ws = RawUpgrade.open(node.port(), latin1, local)) {
            assertThat(ws.awaitClose()).startsWith("close 4001 ").contains("not valid UTF-8");
        }
    }

    /**
     * One address asks for thousands of random ids (unsigned requests: the look-up comes before the signature):
     * the database sees at most the address's allowance, while an app nobody asked for yet resolves for another
     * client, over the API and over a WebSocket, in the middle of it.
     */
    @Test
    void unknownIdsFromOneAddressCostABoundedNumberOfQueriesWhileANewAppResolvesForOthers() throws Exception {
        ServerUnderTest node = node(60);
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < UNKNOWN_IDS; i++) {
            targets.add("/apps/" + UUID.randomUUID() + "/channels?auth_key=x&auth_timestamp=1&auth_version=1.0");
        }
        long before = statements.count();
        long start = System.nanoTime();
        CompletableFuture<List<Integer>> flood = CompletableFuture.supplyAsync(
                () -> RawHttp.pipeline(node.port(), attacker, targets));

        int n = SEQUENCE.incrementAndGet();
        App fresh = insert("fresh-" + n, "fresh-key-" + n);
        assertThat(http(fresh, fresh.secret(), node).get("/channels", Map.of()).getHttpStatus()).isEqualTo(200);
        App other = insert("other-" + n, "other-key-" + n);
        JavaClient client = JavaClient.of(other.key(), node.port()).connect();
        perTest.add(client);

        List<Integer> statuses = flood.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long queries = statements.count() - before;
        assertThat(statuses).hasSize(UNKNOWN_IDS).allMatch(s -> s == 404 || s == 429);
        // The allowance: a second's worth at once, then the rate; plus the other client's look-ups and what
        // new pooled connections say when they open.
        long bound = (long) Math.ceil(LOOKUPS_PER_SECOND * (seconds + 1)) + 20;
        System.out.printf("%s: %d unknown ids from one address in %.1f s: %d SQL statements (bound %d); %d answered 404,"
                + " %d answered 429%n", db.dialect, UNKNOWN_IDS, seconds, queries, bound,
                statuses.stream().filter(s -> s == 404).count(), statuses.stream().filter(s -> s == 429).count());
        assertThat(queries).isLessThanOrEqualTo(bound);

        // The same unknown ids again, from an address with a full allowance: remembered misses, no query.
        long again = statements.count();
        List<Integer> repeat = RawHttp.pipeline(node.port(), InetAddress.getByName("127.0.0.3"), targets.subList(0, 50));
        assertThat(repeat).allMatch(s -> s == 404 || s == 429);
        assertThat(statements.count() - again).isLessThanOrEqualTo(50 - Math.min(50, statuses.subList(0, 50).stream()
                .filter(s -> s == 404).count()) + 5);
    }

    @Test
    void openConnectionsOfADisabledAppCloseWith4003AndOfADeletedOneWith4001() {
        int ttl = changeTtlSeconds();
        ServerUnderTest node = node(ttl);
        int n = SEQUENCE.incrementAndGet();
        App disabled = insert("to-disable-" + n, "to-disable-key-" + n);
        App deleted = insert("to-delete-" + n, "to-delete-key-" + n);
        App bystander = insert("stays-" + n, "stays-key-" + n);
        RawSocket a = open(disabled, node);
        RawSocket b = open(deleted, node);
        RawSocket c = open(bystander, node);
        JavaClient official = JavaClient.of(disabled.key(), node.port()).connect();
        perTest.add(official);

        update(disabled, "enabled = false");
        assertThat(a.awaitCloseCode(Duration.ofSeconds(ttl + 10))).isEqualTo(4003);
        within(ttl).until(() -> official.state() == com.pusher.client.connection.ConnectionState.DISCONNECTED);

        delete(deleted);
        assertThat(b.awaitCloseCode(Duration.ofSeconds(ttl + 10))).isEqualTo(4001);
        assertThat(b.events("pusher:error").toString()).contains("4001");

        // Another app's connection is not touched, and the disabled app's new ones are refused.
        assertThat(c.closeCode()).isNull();
        assertThat(open(disabled, node).awaitCloseCode()).isEqualTo(4003);
        assertThat(open(deleted, node).awaitCloseCode()).isEqualTo(4001);
        c.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        eventually().until(() -> !c.events("pusher:pong").isEmpty());
    }

    private RawSocket open(App app, ServerUnderTest node) {
        RawSocket s = RawSocket.open(node.port(), app.key());
        perTest.add(s);
        return s;
    }
}
