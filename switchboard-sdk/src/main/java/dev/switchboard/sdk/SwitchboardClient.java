package dev.switchboard.sdk;

import dev.switchboard.sdk.webhook.Webhook;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A client of one app on a Switchboard server (or the hosted Pusher service). The HTTP calls here block and
 * throw what {@link AsyncSwitchboardClient} would complete its futures with; {@link #async()} gives the
 * non-blocking face of the same core. The auth helpers ({@link #authorizeChannel}, {@link #authenticateUser})
 * and {@link #webhook()} need no I/O. Thread-safe; build one per app and share it.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder()
 *         .appId("app-id").key("app-key").secret("app-secret")
 *         .host("localhost").port(6001)
 *         .build();
 * client.trigger("my-channel", "my-event", Map.of("message", "hello"));
 * }</pre>
 */
public final class SwitchboardClient {
    private final Settings settings;
    private final AsyncSwitchboardClient async;
    private final Authorizer authorizer;
    private final Webhook webhook;

    private SwitchboardClient(Settings settings) {
        this.settings = settings;
        this.async = new AsyncSwitchboardClient(settings);
        this.authorizer = new Authorizer(settings.key(), settings.secret(), settings.masterKey());
        this.webhook = new Webhook(settings.key(), settings.secret());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same client with calls that return {@link CompletableFuture}s. */
    public AsyncSwitchboardClient async() {
        return async;
    }

    // ------------------------------------------------------------------ events

    public TriggerResult trigger(String channel, String event, Object data) {
        return join(async.trigger(channel, event, data));
    }

    public TriggerResult trigger(String channel, String event, Object data, TriggerOptions options) {
        return join(async.trigger(channel, event, data, options));
    }

    public TriggerResult trigger(List<String> channels, String event, Object data) {
        return join(async.trigger(channels, event, data));
    }

    /** See {@link AsyncSwitchboardClient#trigger(List, String, Object, TriggerOptions)}. */
    public TriggerResult trigger(List<String> channels, String event, Object data, TriggerOptions options) {
        return join(async.trigger(channels, event, data, options));
    }

    public BatchResult triggerBatch(List<BatchEvent> events) {
        return join(async.triggerBatch(events));
    }

    public TriggerResult sendToUser(String userId, String event, Object data) {
        return join(async.sendToUser(userId, event, data));
    }

    public Ack terminateUserConnections(String userId) {
        return join(async.terminateUserConnections(userId));
    }

    /** Closes every connection of the user and refuses its sign-ins on every node for {@code banFor}; the ban's end. */
    public java.time.Instant terminateAndBan(String userId, java.time.Duration banFor) {
        return join(async.terminateAndBan(userId, banFor));
    }

    /** Lifts the user's ban; true when it had one. */
    public boolean liftBan(String userId) {
        return join(async.liftBan(userId));
    }

    /** Closes every connection of the user with 4200: its clients reconnect at once and sign in again. */
    public Ack reconnectUser(String userId) {
        return join(async.reconnectUser(userId));
    }

    // ------------------------------------------------------------------ queries

    public ChannelsResult channels(String prefix, String... info) {
        return join(async.channels(prefix, info));
    }

    public ChannelResult channel(String name, String... info) {
        return join(async.channel(name, info));
    }

    public PresenceUsers presenceUsers(String channel) {
        return join(async.presenceUsers(channel));
    }

    public Optional<User> getUser(String userId) {
        return join(async.getUser(userId));
    }

    public UserList listUsers(String cursor, Integer limit) {
        return join(async.listUsers(cursor, limit));
    }

    public Optional<User> updateUser(String userId, Object userInfo) {
        return join(async.updateUser(userId, userInfo));
    }

    public UserErasure deleteUser(String userId) {
        return join(async.deleteUser(userId));
    }

    /** The events waiting for the user's next sign-in (see {@link AsyncSwitchboardClient#getInbox}). */
    public Inbox getInbox(String userId, boolean withEvents) {
        return join(async.getInbox(userId, withEvents));
    }

    /** Drops what waits for the user; how many events that was. */
    public int clearInbox(String userId) {
        return join(async.clearInbox(userId));
    }

    // ------------------------------------------------------------------ auth endpoints and webhooks

    /** The body of a {@code /pusher/auth} answer for a private or encrypted channel (or presence via sign-in). */
    public String authorizeChannel(String socketId, String channel) {
        return authorizer.authorizeChannel(socketId, channel, null);
    }

    /** The body of a {@code /pusher/auth} answer for a presence channel, with the member's data. */
    public String authorizeChannel(String socketId, String channel, PresenceData member) {
        return authorizer.authorizeChannel(socketId, channel, Checks.notNull(member, "presence data"));
    }

    /** The body of a {@code /pusher/user-auth} answer: {@code {"auth":…,"user_data":…}}. */
    public String authenticateUser(String socketId, UserData user) {
        return authorizer.authenticateUser(socketId, user);
    }

    /** The {@code shared_secret} of an encrypted channel (base64 of its 32-byte key). */
    public String sharedSecret(String channel) {
        return authorizer.sharedSecret(Checks.channel(channel));
    }

    /** Verifies and reads webhooks signed with this app's key and secret. */
    public Webhook webhook() {
        return webhook;
    }

    @Override
    public String toString() {
        return "SwitchboardClient[" + settings + "]";
    }

    /** The future's value; its failure rethrown as it is (unchecked), interruption as a SwitchboardException. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new SwitchboardException("Request failed: " + cause, cause);
        } catch (CancellationException e) {
            throw new SwitchboardException("Request cancelled", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new SwitchboardException("Interrupted while waiting for the server", e);
        }
    }

    /** Settings of a client; {@code appId}, {@code key}, {@code secret} and {@code host} are required. */
    public static final class Builder {
        private String appId;
        private String key;
        private String secret;
        private String host;
        private Integer port;
        private boolean useTls;
        private String basePath = "";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private byte[] masterKey;
        private int maxEventDataBytes = 10 * 1024;
        private Clock clock = Clock.systemUTC();
        private HttpClient httpClient;
        private Executor executor;

        private Builder() {}

        public Builder appId(String value) { this.appId = value; return this; }

        public Builder key(String value) { this.key = value; return this; }

        public Builder secret(String value) { this.secret = value; return this; }

        public Builder host(String value) { this.host = value; return this; }

        /** Default 443 with TLS, 80 without. */
        public Builder port(int value) { this.port = value; return this; }

        /** {@code https} when true; default false ({@code http}). */
        public Builder useTLS(boolean value) { this.useTls = value; return this; }

        /** A path before {@code /apps/…}, for a server behind a prefix-routing proxy; part of what is signed. */
        public Builder basePath(String value) { this.basePath = value; return this; }

        /** Default 5 s; ignored when a custom {@link HttpClient} is given. */
        public Builder connectTimeout(Duration value) { this.connectTimeout = value; return this; }

        /** Default 10 s per request. */
        public Builder requestTimeout(Duration value) { this.requestTimeout = value; return this; }

        /** The 32-byte master key for {@code private-encrypted-} channels, base64. */
        public Builder encryptionMasterKeyBase64(String value) {
            if (value == null) {
                this.masterKey = null;
                return this;
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(value.trim());
            } catch (IllegalArgumentException e) {
                // The message of the JDK's exception may quote the input: do not chain it.
                throw new IllegalArgumentException("encryptionMasterKeyBase64 is not valid base64");
            }
            if (decoded.length != 32) {
                throw new IllegalArgumentException("encryptionMasterKeyBase64 must decode to 32 bytes, got "
                        + decoded.length);
            }
            this.masterKey = decoded;
            return this;
        }

        /** Largest event data accepted before sending (UTF-8 bytes, after encryption); default 10 KB as Pusher. */
        public Builder maxEventDataBytes(int value) { this.maxEventDataBytes = value; return this; }

        /** The clock for {@code auth_timestamp}; for tests. */
        public Builder clock(Clock value) { this.clock = value; return this; }

        /** Use this HTTP client instead of building one (connect timeout and executor are then its own). */
        public Builder httpClient(HttpClient value) { this.httpClient = value; return this; }

        /** The executor of the HTTP client the SDK builds. */
        public Builder executor(Executor value) { this.executor = value; return this; }

        public SwitchboardClient build() {
            require(appId, "appId");
            require(key, "key");
            require(secret, "secret");
            require(host, "host");
            if (host.contains("/")) {
                throw new IllegalArgumentException("host is a name or address without scheme or path: " + host);
            }
            int p = port != null ? port : (useTls ? 443 : 80);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
            String path = basePath == null ? "" : basePath.trim();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (!path.isEmpty() && !path.startsWith("/")) {
                path = "/" + path;
            }
            if (connectTimeout == null || requestTimeout == null || connectTimeout.isNegative()
                    || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxEventDataBytes < 1) {
                throw new IllegalArgumentException("maxEventDataBytes must be positive");
            }
            Checks.notNull(clock, "clock");
            return new SwitchboardClient(new Settings(appId, key, secret, useTls, host, p, path, connectTimeout,
                    requestTimeout, masterKey, maxEventDataBytes, clock, httpClient, executor));
        }

        private static void require(String value, String name) {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(name + " is required");
            }
        }

        @Override
        public String toString() {
            return "SwitchboardClient.Builder[appId=" + appId + ", key=" + key + ", secret=<hidden>, host=" + host + "]";
        }
    }
}
