package dev.switchboard.server.testing;

import static dev.switchboard.server.testing.Waits.eventually;

import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.UserAuthenticator;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * One official Java client (pusher-websocket-java 2.4.4, protocol 5) pointed at the server under test, with
 * its connection state changes and connection-level errors recorded.
 */
public final class JavaClient implements AutoCloseable {

    /** A {@code pusher:error} (or transport error) as the client reports it: code is null when absent. */
    public record ConnectionError(String message, String code) {}

    private final Pusher pusher;
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    private final List<ConnectionError> errors = new CopyOnWriteArrayList<>();

    JavaClient(String appKey, int port, ChannelAuthorizer channelAuthorizer, UserAuthenticator userAuthenticator,
            UnaryOperator<PusherOptions> customize) {
        PusherOptions options = new PusherOptions()
                .setHost("127.0.0.1")
                .setWsPort(port)
                .setUseTLS(false)
                // Keep the client's own back-off short, so a wrongful reconnect shows within the quiet period.
                .setMaxReconnectGapInSeconds(1);
        if (channelAuthorizer != null) {
            options.setChannelAuthorizer(channelAuthorizer);
        }
        if (userAuthenticator != null) {
            options.setUserAuthenticator(userAuthenticator);
        }
        this.pusher = new Pusher(appKey, customize.apply(options));
    }

    /** A client (not yet connected) of any server on this machine, for public channels. */
    public static JavaClient of(String appKey, int port) {
        return new JavaClient(appKey, port, null, null, UnaryOperator.identity());
    }

    public Pusher pusher() { return pusher; }

    /** Connects and waits for {@code connection_established}. */
    public JavaClient connect() {
        connectNoWait();
        eventually().until(() -> state() == ConnectionState.CONNECTED);
        return this;
    }

    /** Starts connecting and returns at once (for connections the server is expected to refuse). */
    public JavaClient connectNoWait() {
        pusher.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
                states.add(change.getCurrentState());
            }

            @Override
            public void onError(String message, String code, Exception e) {
                errors.add(new ConnectionError(message, code));
            }
        }, ConnectionState.ALL);
        return this;
    }

    public ConnectionState state() { return pusher.getConnection().getState(); }

    public String socketId() { return pusher.getConnection().getSocketId(); }

    public List<ConnectionState> states() { return List.copyOf(states); }

    public List<ConnectionError> errors() { return List.copyOf(errors); }

    /** Subscribes to a public (or cache) channel and waits for {@code subscription_succeeded}. */
    public EventLog subscribe(String channel, String... events) {
        EventLog log = subscribeNoWait(channel, events);
        eventually().until(log::subscribed);
        return log;
    }

    public EventLog subscribeNoWait(String channel, String... events) {
        EventLog log = new EventLog();
        pusher.subscribe(channel, log, events);
        return log;
    }

    /** Subscribes to a private channel through the configured authorizer and waits for success. */
    public EventLog subscribePrivate(String channel, String... events) {
        EventLog log = subscribePrivateNoWait(channel, events);
        eventually().until(log::subscribed);
        return log;
    }

    public EventLog subscribePrivateNoWait(String channel, String... events) {
        EventLog log = new EventLog();
        pusher.subscribePrivate(channel, log, events);
        return log;
    }

    /** Subscribes to a {@code private-encrypted-} channel; the authorizer must return the shared secret. */
    public EventLog subscribePrivateEncrypted(String channel, String... events) {
        EventLog log = new EventLog();
        pusher.subscribePrivateEncrypted(channel, log, events);
        eventually().until(log::subscribed);
        return log;
    }

    /** Subscribes to a presence channel and waits until the roster arrived. */
    public EventLog subscribePresence(String channel, String... events) {
        EventLog log = new EventLog();
        pusher.subscribePresence(channel, log, events);
        eventually().until(() -> log.subscribed() && log.initialMembers() != null);
        return log;
    }

    /** Signs in through the configured user authenticator and waits for the server-to-user subscription. */
    public JavaClient signin() {
        pusher.signin();
        eventually().until(() -> pusher.user().userId() != null);
        String channel = "#server-to-user-" + pusher.user().userId();
        eventually().until(() -> pusher.getChannel(channel) != null && pusher.getChannel(channel).isSubscribed());
        return this;
    }

    @Override
    public void close() {
        if (state() == ConnectionState.DISCONNECTED) {
            return;
        }
        pusher.disconnect();
        try {
            eventually().until(() -> state() == ConnectionState.DISCONNECTED);
        } catch (RuntimeException e) {
            // A client stuck reconnecting is left to its own threads; the server is torn down anyway.
        }
    }
}
