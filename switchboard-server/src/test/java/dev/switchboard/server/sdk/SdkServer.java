package dev.switchboard.server.sdk;

import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A real server on a free port per test, an SDK client for its app, and raw sockets closed afterwards. */
abstract class SdkServer {
    static final String APP_ID = "sdk-app";
    static final String KEY = "sdk-key";
    static final String SECRET = "sdk-secret";
    static final String MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

    Switchboard server;
    SwitchboardClient client;
    private final List<RawSocket> sockets = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0).withApps(List.of(app())));
        client = clientWith(SECRET).build();
    }

    /** The one app of the test server. */
    AppConfig app() {
        return AppConfig.defaults(APP_ID, KEY, SECRET);
    }

    SwitchboardClient.Builder clientWith(String secret) {
        return SwitchboardClient.builder().appId(APP_ID).key(KEY).secret(secret)
                .host("127.0.0.1").port(server.port()).encryptionMasterKeyBase64(MASTER_KEY);
    }

    RawSocket socket() {
        RawSocket s = RawSocket.connect(server.port(), KEY);
        sockets.add(s);
        return s;
    }

    /** A socket signed in as {@code userId} through the SDK's user-auth answer. */
    RawSocket signedIn(dev.switchboard.sdk.UserData user) {
        RawSocket s = socket();
        s.signIn(client.authenticateUser(s.socketId, user));
        return s;
    }

    @AfterEach
    void stopServer() {
        sockets.forEach(RawSocket::close);
        if (server != null) {
            server.close();
        }
    }
}
