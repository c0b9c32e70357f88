package dev.switchboard.server.testing;

import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.UserAuthenticator;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.server.webhooks.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A cluster for a test class: a real {@code redis-server} on a free port, {@value #NODES} Switchboard node
 * processes on free ports joined to it with {@code --redis}, and a webhook receiver that the default app
 * posts to. Official Java clients and SDKs are handed out per node and closed after each test; the processes
 * stop after the class. A failing test prints the tail of every node's log.
 * <pre>{@code @RegisterExtension static final ClusterExtension cluster = new ClusterExtension();
 * JavaClient ann = cluster.client(2, new PresenceUser("ann")).connect();
 * cluster.http(1).trigger(channel, "e", data);}</pre>
 * Apps: the default one ({@code app-id} / {@code app-key} / {@code app-secret}, subscription counts on,
 * every webhook event to {@link #webhooks()}) and {@link #SMALL_APP} with small cluster-wide limits.
 * Tests share the nodes, so they use {@link SwitchboardExtension#uniqueChannel} names and user ids.
 */
public final class ClusterExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback, TestWatcher {
    public static final int NODES = 3;
    public static final String APP_ID = SwitchboardExtension.APP_ID;
    public static final String APP_KEY = SwitchboardExtension.APP_KEY;
    public static final String APP_SECRET = SwitchboardExtension.APP_SECRET;
    /** An app whose limits are small enough to reach with a few clients: they count the whole cluster. */
    public static final String SMALL_APP = "app-small";
    public static final String SMALL_KEY = "key-small";
    public static final String SMALL_SECRET = "secret-small";
    public static final int SMALL_MAX_CONNECTIONS = 4;
    public static final int SMALL_MAX_PRESENCE_MEMBERS = 2;
    /** The default app's channels that keep a window for channel resume. */
    public static final String RESUME_PREFIX = "private-resume-";
    /** Short, so that removal webhooks arrive within a test's wait; still long enough to pair a quick rejoin. */
    public static final int WEBHOOK_LEAVE_DELAY_MILLIS = 300;

    private final Map<String, Object> extraSettings;
    private final List<AutoCloseable> perTest = new CopyOnWriteArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private RedisServer redis;
    private Receiver webhooks;
    private Path dir;
    private AppAuth auth;
    private AppAuth smallAuth;
    private volatile boolean failed;

    /** The cluster of the test classes that leave it whole: started once, stopped after the last of them. */
    private static ClusterExtension shared;
    private final boolean acrossClasses;
    private boolean started;

    /** A cluster of the test class's own, stopped after it: for tests that kill nodes or Redis. */
    public ClusterExtension() {
        this(Map.of(), false);
    }

    /** With server-level settings (file keys, e.g. {@code "shutdown_grace_seconds"}) added to every node. */
    public ClusterExtension(Map<String, Object> settings) {
        this(settings, false);
    }

    private ClusterExtension(Map<String, Object> settings, boolean acrossClasses) {
        this.extraSettings = Map.copyOf(settings);
        this.acrossClasses = acrossClasses;
    }

    /**
     * One cluster for every test class that registers this (and kills nothing), started by the first of them
     * and stopped when the test run ends: three JVMs start once rather than once per class.
     */
    public static synchronized ClusterExtension shared() {
        if (shared == null) {
            shared = new ClusterExtension(Map.of(), true);
        }
        return shared;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (started) {
            return;
        }
        started = true;
        if (acrossClasses) {
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put(ClusterExtension.class.getName(), (ExtensionContext.Store.CloseableResource) this::stop);
        }
        dir = Files.createTempDirectory("switchboard-cluster-");
        webhooks = new Receiver();
        redis = RedisServer.start();
        Path config = dir.resolve("config.json");
        Files.writeString(config, Json.write(config()));
        auth = new AppAuth(APP_ID, APP_KEY, APP_SECRET, SwitchboardExtension.ENCRYPTION_MASTER_KEY);
        smallAuth = new AppAuth(SMALL_APP, SMALL_KEY, SMALL_SECRET, SwitchboardExtension.ENCRYPTION_MASTER_KEY);
        // One at a time: on two cores, three JVMs starting together take longer than three in a row.
        for (int i = 1; i <= NODES; i++) {
            nodes.add(NodeProcess.start("node" + i, dir, List.of("--config", config.toString(), "--redis", redis.url())));
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("webhook_leave_delay_millis", WEBHOOK_LEAVE_DELAY_MILLIS);
        settings.put("webhook_batch_millis", 50);
        settings.put("shutdown_grace_seconds", 2);
        settings.putAll(extraSettings);
        Map<String, Object> main = new LinkedHashMap<>();
        main.put("id", APP_ID);
        main.put("key", APP_KEY);
        main.put("secret", APP_SECRET);
        main.put("enable_subscription_count", true);
        main.put("webhooks", List.of(Map.of("url", webhooks.url())));
        // Channel resume (issue 25) only for channels named for it, so no other test's channel keeps a window.
        main.put("channel_resume_seconds", 60);
        main.put("channel_resume_prefixes", List.of(RESUME_PREFIX));
        Map<String, Object> small = new LinkedHashMap<>();
        small.put("id", SMALL_APP);
        small.put("key", SMALL_KEY);
        small.put("secret", SMALL_SECRET);
        small.put("max_connections", SMALL_MAX_CONNECTIONS);
        small.put("max_presence_members", SMALL_MAX_PRESENCE_MEMBERS);
        settings.put("apps", List.of(main, small));
        return settings;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        SwitchboardExtension.closeAll(perTest);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = true;
        StringBuilder out = new StringBuilder("--- cluster logs after failed test " + context.getDisplayName()
                + " (whole logs kept in " + dir + ") ---\n");
        for (NodeProcess n : nodes) {
            out.append("--- ").append(n.name()).append(" (port ").append(n.port()).append(") ---\n")
                    .append(n.logTail(4000)).append('\n');
        }
        System.err.println(out);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!acrossClasses) {
            stop();
        }
    }

    private synchronized void stop() {
        started = false;
        for (NodeProcess n : nodes) {
            n.close();
        }
        nodes.clear();
        if (redis != null) {
            redis.close();
        }
        if (webhooks != null) {
            webhooks.close();
        }
        if (failed) {
            return; // the logs stay for whoever reads the failure
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Node {@code n}, 1-based. */
    public NodeProcess node(int n) { return nodes.get(n - 1); }

    public List<NodeProcess> nodes() { return List.copyOf(nodes); }

    public RedisServer redis() { return redis; }

    /** Every webhook request of the default app, from every node. */
    public Receiver webhooks() { return webhooks; }

    /** The default app's auth endpoints, in-process. */
    public AppAuth auth() { return auth; }

    /** {@link #SMALL_APP}'s auth endpoints, in-process. */
    public AppAuth smallAuth() { return smallAuth; }

    /** A client of the default app on node {@code n} (not yet connected), presence as {@code member}. */
    public JavaClient client(int n, PresenceUser member) {
        return client(n, APP_KEY, auth.channels(member), null);
    }

    /** A client of the default app on node {@code n} (not yet connected) that signs in as {@code id}. */
    public JavaClient user(int n, String id, String name) {
        return client(n, APP_KEY, auth.channels(new PresenceUser(id)), auth.user(id, name));
    }

    /** A client on node {@code n} for any app key with the given authenticators (either may be null). */
    public JavaClient client(int n, String appKey, ChannelAuthorizer channels, UserAuthenticator user) {
        JavaClient client = new JavaClient(appKey, node(n).port(), channels, user, UnaryOperator.identity());
        perTest.add(client);
        return client;
    }

    /** A bare WebSocket of the default app on node {@code n}, connection_established received. */
    public RawSocket raw(int n) {
        return raw(n, APP_KEY);
    }

    /** A bare WebSocket for any app key on node {@code n} (for close codes and exact frames). */
    public RawSocket raw(int n, String appKey) {
        RawSocket socket = RawSocket.open(node(n).port(), appKey);
        perTest.add(socket);
        return socket;
    }

    /**
     * A bare WebSocket on node {@code n} signed in (default app) with {@code userData} (id, and optionally
     * user_info and watchlist), after {@code pusher:signin_success}. The Java client has no watchlist API, so
     * watchlist frames are read from such a socket.
     */
    public RawSocket rawUser(int n, Map<String, Object> userData) {
        RawSocket socket = raw(n);
        String answer = auth.user(userData).authenticate(socket.socketId());
        socket.send(Json.write(Map.of("event", "pusher:signin", "data", Json.parse(answer))));
        socket.awaitEvent("pusher:signin_success");
        return socket;
    }

    /** The official HTTP SDK for the default app, pointed at node {@code n}. */
    public com.pusher.rest.Pusher http(int n) {
        com.pusher.rest.Pusher http = new com.pusher.rest.Pusher(APP_ID, APP_KEY, APP_SECRET);
        http.setHost("127.0.0.1:" + node(n).port());
        http.setEncrypted(false);
        perTest.add(http);
        return http;
    }

    /** Switchboard's own SDK (user data API, sendToUser, terminate) for the default app, pointed at node {@code n}. */
    public SwitchboardClient sdk(int n) {
        return SwitchboardClient.builder().appId(APP_ID).key(APP_KEY).secret(APP_SECRET)
                .host("127.0.0.1").port(node(n).port()).useTLS(false).build();
    }
}
