package dev.switchboard.server.testing;

import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.PusherOptions;
import com.pusher.client.UserAuthenticator;
import com.pusher.rest.data.PresenceUser;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one Switchboard node on a free port for a test class, with one app ({@code app-id} /
 * {@code app-key} / {@code app-secret}, defaults otherwise), and hands out official clients wired to it.
 * Clients are closed after each test, the node after the class. Register as a static field:
 * <pre>{@code @RegisterExtension static final SwitchboardExtension server = new SwitchboardExtension();}</pre>
 * Tests share the node, so they use {@link #uniqueChannel} names.
 */
public final class SwitchboardExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    public static final String APP_ID = "app-id";
    public static final String APP_KEY = "app-key";
    public static final String APP_SECRET = "app-secret";
    /** The app's end-to-end encryption master key: lives only on the app side (SDK and auth endpoint). */
    public static final String ENCRYPTION_MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final AppConfig app;
    private final List<AutoCloseable> perTest = new CopyOnWriteArrayList<>();
    private ServerUnderTest server;
    private AppAuth auth;

    public SwitchboardExtension() {
        this(UnaryOperator.identity());
    }

    /** With the default app changed by {@code customize} (keep its id, key and secret). */
    public SwitchboardExtension(UnaryOperator<AppConfig> customize) {
        this.app = customize.apply(AppConfig.defaults(APP_ID, APP_KEY, APP_SECRET));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    private synchronized void start() {
        if (server == null) {
            server = ServerUnderTest.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0).withApps(List.of(app)));
            auth = new AppAuth(app.id(), app.key(), app.secret(), ENCRYPTION_MASTER_KEY);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        closeAll(perTest);
    }

    /** Closes and forgets every resource, the rest too when one fails; rethrows the first failure. */
    static void closeAll(List<AutoCloseable> resources) throws Exception {
        Exception first = null;
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        resources.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public int port() { return server.port(); }
    public int metricsPort() { return server.metricsPort(); }

    public AppConfig app() { return app; }

    /** The app's auth endpoints, in-process. */
    public AppAuth auth() { return auth; }

    /** A name no other test in this JVM uses, e.g. {@code uniqueChannel("presence-room")}. */
    public static String uniqueChannel(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    /** A client (not yet connected) whose app authorizes private channels and presence as {@code member}. */
    public JavaClient client(PresenceUser member) {
        return client(auth.channels(member), null);
    }

    /** A client (not yet connected) that authorizes channels and may sign in with the given authenticators. */
    public JavaClient client(ChannelAuthorizer channels, UserAuthenticator user) {
        return client(app.key(), channels, user, UnaryOperator.identity());
    }

    /** A client (not yet connected) for any app key, with its options adjusted by {@code customize}. */
    public JavaClient client(String appKey, ChannelAuthorizer channels, UserAuthenticator user,
            UnaryOperator<PusherOptions> customize) {
        JavaClient client = new JavaClient(appKey, port(), channels, user, customize);
        perTest.add(client);
        return client;
    }

    /** A connected client with a private-channel authorizer and no presence identity. */
    public JavaClient connectedClient() {
        return client(new PresenceUser("anonymous")).connect();
    }

    /** A bare WebSocket on {@code /app/<key>} with pusher-js's query string. */
    public RawSocket rawSocket() {
        RawSocket socket = RawSocket.open(port(), app.key());
        perTest.add(socket);
        return socket;
    }

    /** The official HTTP SDK, pointed at this node over plain HTTP, able to encrypt for encrypted channels. */
    public com.pusher.rest.Pusher http() {
        com.pusher.rest.Pusher http = new com.pusher.rest.Pusher(app.id(), app.key(), app.secret(), ENCRYPTION_MASTER_KEY);
        http.setHost("127.0.0.1:" + port());
        http.setEncrypted(false);
        perTest.add(http);
        return http;
    }
}
