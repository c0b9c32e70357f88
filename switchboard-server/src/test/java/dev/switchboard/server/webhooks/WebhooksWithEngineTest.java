package dev.switchboard.server.webhooks;

import static dev.switchboard.server.webhooks.Knobs.app;
import static dev.switchboard.server.webhooks.Knobs.hook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.apps.AppRegistry;
import dev.switchboard.server.cluster.LocalBroker;
import dev.switchboard.server.cluster.LocalState;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.Connection;
import dev.switchboard.server.engine.Engine;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Peer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real engine drives the dispatcher through {@code EngineListener} (no Netty: sockets are minimal peers
 * on a real single-thread "event loop"), and a real HTTP receiver gets the webhooks.
 */
class WebhooksWithEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private Receiver receiver;
    private WebhookDispatcher webhooks;
    private Engine engine;
    private AppConfig app;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new Receiver();
        Knobs k = new Knobs();
        k.leaveDelayMillis = 200;
        webhooks = new WebhookDispatcher(k.settings()).start();
        app = app(hook(receiver.url()));
        engine = new Engine(ServerConfig.defaults().withApps(List.of(app)), AppRegistry.of(List.of(app)), new LocalBroker(),
                new LocalState(System::currentTimeMillis), webhooks, System::currentTimeMillis).start();
    }

    @AfterEach
    void tearDown() {
        webhooks.close();
        receiver.close();
        loop.shutdownNow();
    }

    @Test
    void subscribeAndLeaveProduceOccupiedAndVacated() {
        Socket s = connect();
        s.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"my-channel\"}}");

        await().atMost(WAIT).until(() -> receiver.eventTexts().contains(
                "{\"name\":\"channel_occupied\",\"channel\":\"my-channel\"}"));

        s.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"my-channel\"}}");
        await().atMost(WAIT).until(() -> receiver.eventTexts().contains(
                "{\"name\":\"channel_vacated\",\"channel\":\"my-channel\"}"));
    }

    @Test
    void aPresenceReloadProducesNothingAndClientEventsCarryTheSender() {
        Socket first = connect();
        first.subscribePresence("presence-room", "{\"user_id\":\"9\"}");
        await().atMost(WAIT).until(() -> receiver.eventTexts().contains(
                "{\"name\":\"member_added\",\"channel\":\"presence-room\",\"user_id\":\"9\"}"));

        // the page reloads: the old socket goes, a new one of the same user comes back at once
        first.close();
        Socket second = connect();
        second.subscribePresence("presence-room", "{\"user_id\":\"9\"}");
        second.send("{\"event\":\"client-say\",\"channel\":\"presence-room\",\"data\":{\"text\":\"hi\"}}");
        // marker: held for the same delay, after the cancelled leaves
        Socket other = connect();
        other.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"marker\"}}");
        other.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"marker\"}}");

        await().atMost(WAIT).until(() -> receiver.eventTexts().contains(
                "{\"name\":\"channel_vacated\",\"channel\":\"marker\"}"));
        assertThat(receiver.eventTexts()).containsExactly(
                "{\"name\":\"channel_occupied\",\"channel\":\"presence-room\"}",
                "{\"name\":\"member_added\",\"channel\":\"presence-room\",\"user_id\":\"9\"}",
                "{\"name\":\"client_event\",\"channel\":\"presence-room\",\"event\":\"client-say\","
                        + "\"data\":\"{\\\"text\\\":\\\"hi\\\"}\",\"socket_id\":\"" + second.connection.socketId()
                        + "\",\"user_id\":\"9\"}",
                "{\"name\":\"channel_occupied\",\"channel\":\"marker\"}",
                "{\"name\":\"channel_vacated\",\"channel\":\"marker\"}");
    }

    private Socket connect() {
        Socket s = new Socket();
        s.connection = on(() -> engine.connect(app.key(), s));
        return s;
    }

    private <T> T on(Callable<T> task) {
        try {
            return loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A socket as the engine sees it: frames are ignored, the loop is real. */
    private final class Socket implements Peer {
        volatile Connection connection;

        void send(String json) {
            on(() -> {
                connection.onText(json);
                return null;
            });
        }

        void subscribePresence(String channel, String channelData) {
            String auth = Signatures.auth(app.key(), app.secret(),
                    Signatures.presenceString(connection.socketId(), channel, channelData));
            send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"" + auth + "\",\"channel\":\"" + channel
                    + "\",\"channel_data\":" + WireCodec.quote(channelData) + "}}");
        }

        void close() {
            on(() -> {
                connection.onClose();
                return null;
            });
        }

        @Override
        public ScheduledExecutorService executor() {
            return loop;
        }

        @Override
        public void write(Frame frame) {}

        @Override
        public void flush() {}

        @Override
        public void send(Frame frame) {}

        @Override
        public void pauseReads(boolean paused) {}

        @Override
        public void close(CloseCode code, String message) {
            loop.execute(() -> connection.onClose());
        }

        @Override
        public String remoteAddress() {
            return "test";
        }
    }
}
