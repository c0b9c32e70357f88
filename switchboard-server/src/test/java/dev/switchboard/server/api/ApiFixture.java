package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.cluster.LocalBroker;
import dev.switchboard.server.cluster.LocalState;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.EngineListener;
import dev.switchboard.server.testing.Apps;
import dev.switchboard.server.testing.ClientFrames;
import dev.switchboard.server.testing.RecordingPeer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real {@link Engine} and {@link HttpApi} sharing one test clock, no network: requests are signed like the
 * SDKs and handed to {@link HttpApi#handle}; sockets are recording peers on a single-threaded "event loop".
 */
final class ApiFixture implements AutoCloseable {
    static final long START = 1_700_000_000_000L;

    final AtomicLong millis = new AtomicLong(START);
    final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    final AppConfig app;
    final ServerConfig config;
    final Engine engine;
    final HttpApi api;
    final SdkSigner signer;

    ApiFixture() {
        this(Map.of());
    }

    ApiFixture(Map<String, Object> appOverrides) {
        this.app = Apps.with(appOverrides);
        this.config = ServerConfig.defaults().withApps(List.of(app));
        this.engine = new Engine(config, AppRegistry.of(config.apps()), new LocalBroker(), new LocalState(millis::get),
                EngineListener.NONE, millis::get).start();
        this.api = new HttpApi(engine, config, new TestClock());
        this.signer = new SdkSigner(app.key(), app.secret());
    }

    long nowSeconds() {
        return millis.get() / 1000;
    }

    // ------------------------------------------------------------------ requests

    record Reply(int status, JsonNode json, String text) {}

    Reply send(ApiRequest request) {
        ApiResponse r = api.handle(request).toCompletableFuture().join();
        String text = new String(r.body(), StandardCharsets.UTF_8);
        return new Reply(r.status(), WireCodec.parse(text), text);
    }

    Reply get(String path) {
        return get(path, Map.of());
    }

    Reply get(String path, Map<String, String> params) {
        return send(signer.get(nowSeconds(), "/apps/" + app.id() + path, params));
    }

    Reply post(String path, String body) {
        return send(signer.post(nowSeconds(), "/apps/" + app.id() + path, body));
    }

    Reply request(String method, String path, String body) {
        return send(signer.request(method, nowSeconds(), "/apps/" + app.id() + path, body));
    }

    /** JSON with single quotes for readability. */
    static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    // ------------------------------------------------------------------ sockets

    Socket connect() {
        Socket s = new Socket();
        s.connection = on(() -> engine.connect(app.key(), s));
        return s;
    }

    <T> T on(Callable<T> task) {
        try {
            return loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until everything queued on the loop so far has run. */
    void drain() {
        on(() -> null);
    }

    /** A recording peer on the fixture's loop, with the client messages the tests send. */
    final class Socket extends RecordingPeer {
        Socket() {
            super(loop);
        }

        String socketId() {
            return connection.socketId();
        }

        void send(String json) {
            receive(json);
        }

        void subscribe(String channel) {
            send(channel.startsWith("private-") ? ClientFrames.subscribePrivate(app, socketId(), channel)
                    : ClientFrames.subscribe(channel, ""));
        }

        void subscribePresence(String channel, String userId) {
            String channelData = "{\"user_id\":" + WireCodec.quote(userId) + ",\"user_info\":{\"name\":\"n" + userId + "\"}}";
            send(ClientFrames.subscribePresence(app, socketId(), channel, channelData));
        }

        void signin(String userData) {
            send(ClientFrames.signin(app, socketId(), userData));
        }
    }

    private final class TestClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
