package dev.switchboard.server.engine;

import static org.awaitility.Awaitility.await;

import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.cluster.LocalAdapter;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** An engine with two "event loops" and helpers to connect, subscribe and sign in as the clients do. */
final class EngineFixture implements AutoCloseable {
    final ScheduledExecutorService loopA = Executors.newSingleThreadScheduledExecutor();
    final ScheduledExecutorService loopB = Executors.newSingleThreadScheduledExecutor();
    final Engine engine;
    final AppConfig app;
    private int next;

    EngineFixture(AppConfig app) {
        this.app = app;
        this.engine = new Engine(ServerConfig.defaults().withApps(List.of(app)), new LocalAdapter(), EngineListener.NONE);
    }

    EngineFixture() {
        this(AppConfig.defaults("app-id", "app-key", "app-secret"));
    }

    AppEngine appEngine() {
        return engine.appById(app.id());
    }

    /** Connects on alternating loops and waits until the connection is established. */
    Client connect() {
        RecordingPeer peer = new RecordingPeer(next++ % 2 == 0 ? loopA : loopB);
        Connection c = on(peer, () -> engine.connect(app.key(), peer));
        peer.connection = c;
        return new Client(peer, c);
    }

    final class Client {
        final RecordingPeer peer;
        final Connection connection;

        Client(RecordingPeer peer, Connection connection) {
            this.peer = peer;
            this.connection = connection;
        }

        void send(String json) {
            on(peer, () -> {
                connection.onText(json);
                return null;
            });
        }

        void subscribe(String channel) {
            send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"" + channel + "\"}}");
        }

        void subscribePrivate(String channel) {
            String auth = Signatures.auth(app.key(), app.secret(), Signatures.channelString(connection.socketId(), channel));
            send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"" + auth + "\",\"channel\":\"" + channel + "\"}}");
        }

        void subscribePresence(String channel, String channelData) {
            String auth = Signatures.auth(app.key(), app.secret(),
                    Signatures.presenceString(connection.socketId(), channel, channelData));
            send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"" + auth + "\",\"channel\":\"" + channel
                    + "\",\"channel_data\":" + WireCodec.quote(channelData) + "}}");
        }

        void signin(String userData) {
            String auth = Signatures.auth(app.key(), app.secret(), Signatures.userString(connection.socketId(), userData));
            send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + auth + "\",\"user_data\":"
                    + WireCodec.quote(userData) + "}}");
        }

        void awaitFrame(String fragment) {
            await().atMost(5, TimeUnit.SECONDS).until(() -> peer.received(fragment));
        }

        /** Waits until everything queued on this client's loop so far has run. */
        void drain() {
            on(peer, () -> null);
        }
    }

    static <T> T on(RecordingPeer peer, java.util.concurrent.Callable<T> task) {
        try {
            return peer.executor.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        loopA.shutdownNow();
        loopB.shutdownNow();
    }
}
