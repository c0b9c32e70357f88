package dev.switchboard.server.engine;

import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.cluster.LocalBroker;
import dev.switchboard.server.cluster.LocalState;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.testing.ClientFrames;
import dev.switchboard.server.testing.RecordingPeer;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** An engine with two "event loops" and helpers to connect, subscribe and sign in as the clients do. */
final class EngineFixture implements AutoCloseable {
    final ScheduledExecutorService loopA = Executors.newSingleThreadScheduledExecutor();
    final ScheduledExecutorService loopB = Executors.newSingleThreadScheduledExecutor();
    final Engine engine;
    final AppConfig app;
    private int next;

    EngineFixture(AppConfig app) {
        this(app, System::currentTimeMillis);
    }

    /** With the clock the engine and its state read (cache and inbox expiry). */
    EngineFixture(AppConfig app, java.util.function.LongSupplier clock) {
        this(ServerConfig.defaults(), app, clock);
    }

    /** With server-level settings too (the defaults' apps are replaced by {@code app}). */
    EngineFixture(ServerConfig server, AppConfig app, java.util.function.LongSupplier clock) {
        this.app = app;
        this.engine = new Engine(server.withApps(List.of(app)), AppRegistry.of(List.of(app)), new LocalBroker(),
                new LocalState(clock), EngineListener.NONE, clock).start();
    }

    /** With another broker in front of the one-node one (e.g. one whose interest is confirmed when a test says). */
    EngineFixture(AppConfig app, Broker broker) {
        this.app = app;
        this.engine = new Engine(ServerConfig.defaults().withApps(List.of(app)), AppRegistry.of(List.of(app)), broker,
                new LocalState(System::currentTimeMillis), EngineListener.NONE, System::currentTimeMillis).start();
    }

    EngineFixture() {
        this(AppConfig.defaults("app-id", "app-key", "app-secret"));
    }

    /** The answer of a query; on one node it is always complete already. */
    static <T> T now(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    AppEngine appEngine() {
        return engine.appById(app.id());
    }

    /** Connects on alternating loops and waits until the connection is established. */
    Client connect() {
        RecordingPeer peer = new RecordingPeer(next++ % 2 == 0 ? loopA : loopB);
        Connection c = peer.on(() -> engine.connect(app.key(), peer));
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
            peer.receive(json);
        }

        void subscribe(String channel) {
            send(ClientFrames.subscribe(channel, ""));
        }

        void subscribePrivate(String channel) {
            send(ClientFrames.subscribePrivate(app, connection.socketId(), channel));
        }

        void subscribePresence(String channel, String channelData) {
            send(ClientFrames.subscribePresence(app, connection.socketId(), channel, channelData));
        }

        void signin(String userData) {
            send(ClientFrames.signin(app, connection.socketId(), userData));
        }

        void awaitFrame(String fragment) {
            peer.awaitFrame(fragment);
        }

        /** Waits until everything queued on this client's loop so far has run. */
        void drain() {
            peer.on(() -> null);
        }
    }

    @Override
    public void close() {
        loopA.shutdownNow();
        loopB.shutdownNow();
    }
}
