package dev.switchboard.sdk;

import dev.switchboard.protocol.ChannelName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one core of the SDK: every HTTP API call, returning a {@link CompletableFuture}. Arguments are
 * checked before the call returns (a bad one throws {@link IllegalArgumentException} at once); a future
 * completes exceptionally with a {@link SwitchboardException} for any answer other than 200 (except where a
 * 404 has a meaning of its own: {@link #getUser}, {@link #updateUser}). Get one from
 * {@link SwitchboardClient#async()}.
 */
public final class AsyncSwitchboardClient {
    private final Settings settings;
    private final Transport transport;
    private final EventEncryption encryption;

    AsyncSwitchboardClient(Settings settings) {
        this.settings = settings;
        this.transport = new Transport(settings);
        this.encryption = new EventEncryption(settings.masterKey());
    }

    // ------------------------------------------------------------------ events (§6.3, §6.4, §5.8)

    public CompletableFuture<TriggerResult> trigger(String channel, String event, Object data) {
        return trigger(List.of(Checks.notNull(channel, "channel")), event, data, TriggerOptions.NONE);
    }

    public CompletableFuture<TriggerResult> trigger(String channel, String event, Object data, TriggerOptions options) {
        return trigger(List.of(Checks.notNull(channel, "channel")), event, data, options);
    }

    public CompletableFuture<TriggerResult> trigger(List<String> channels, String event, Object data) {
        return trigger(channels, event, data, TriggerOptions.NONE);
    }

    /**
     * {@code POST /events}: {@code data} goes to every channel in {@code channels} (1–100). A String is sent
     * as it is, anything else as its JSON; for a {@code private-encrypted-} channel (which must then be the
     * only one) the data is encrypted.
     */
    public CompletableFuture<TriggerResult> trigger(List<String> channels, String event, Object data,
                                                    TriggerOptions options) {
        Checks.channels(channels);
        Checks.eventName(event);
        Checks.notNull(options, "trigger options");
        String payload = payload(channels.get(0), data);
        Map<String, Object> body = new LinkedHashMap<>();
        // Field order as pusher-http-node sends it: the same call gives the same bytes and signature.
        body.put("name", event);
        body.put("data", payload);
        body.put("channels", List.copyOf(channels));
        putOptions(body, options.socketId(), options.info());
        return post("/events", body).thenApply(TriggerResult::from);
    }

    /** {@code POST /batch_events}: several events in one request, each with its own channel. */
    public CompletableFuture<BatchResult> triggerBatch(List<BatchEvent> events) {
        Checks.notNull(events, "batch");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("A batch needs at least one event");
        }
        List<Map<String, Object>> batch = new ArrayList<>(events.size());
        for (BatchEvent e : events) {
            Checks.notNull(e, "batch event");
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("channel", e.channel());
            item.put("name", e.name());
            item.put("data", payload(e.channel(), e.data()));
            putOptions(item, e.socketId(), e.info());
            batch.add(item);
        }
        return post("/batch_events", Map.of("batch", batch)).thenApply(BatchResult::from);
    }

    /** An event for every connection signed in as {@code userId}: a trigger on {@code #server-to-user-<id>}. */
    public CompletableFuture<TriggerResult> sendToUser(String userId, String event, Object data) {
        Checks.userId(userId);
        return trigger(ChannelName.SERVER_TO_USER_PREFIX + userId, event, data);
    }

    /** {@code POST /users/{id}/terminate_connections} with body {@code {}}: closes every connection of the user. */
    public CompletableFuture<Ack> terminateUserConnections(String userId) {
        Checks.userId(userId);
        return transport.send("POST", "/users/" + Urls.pathSegment(userId) + "/terminate_connections", Map.of(), "{}")
                .thenApply(a -> new Ack(a.ok().status()));
    }

    /**
     * Switchboard's extension: {@code POST /users/{id}/terminate_connections} with {@code {"ban_seconds": N}}: closes
     * every connection of the user and refuses its sign-ins on every node for {@code banFor} (whole seconds, at least
     * one, at most the server's {@code max_ban_seconds}), whatever the app's auth endpoint signs. Completes with the
     * ban's end.
     */
    public CompletableFuture<Instant> terminateAndBan(String userId, Duration banFor) {
        Checks.userId(userId);
        long seconds = banFor.toSeconds();
        if (seconds < 1) {
            throw new IllegalArgumentException("a ban lasts at least one second, got " + banFor);
        }
        return transport.send("POST", "/users/" + Urls.pathSegment(userId) + "/terminate_connections", Map.of(),
                        "{\"ban_seconds\":" + seconds + "}")
                .thenApply(a -> Instant.ofEpochMilli(a.ok().json().path("banned_until_ms").asLong()));
    }

    /** {@code DELETE /users/{id}/ban}: lifts the user's ban; true when it had one. */
    public CompletableFuture<Boolean> liftBan(String userId) {
        Checks.userId(userId);
        return transport.send("DELETE", "/users/" + Urls.pathSegment(userId) + "/ban", Map.of(), null)
                .thenApply(a -> a.ok().json().path("lifted").asBoolean(false));
    }

    /**
     * {@code POST /users/{id}/reconnect}: closes every connection of the user with 4200, so that its clients
     * reconnect at once and sign in again through the app's auth endpoint (after a change of its rights).
     */
    public CompletableFuture<Ack> reconnectUser(String userId) {
        Checks.userId(userId);
        return transport.send("POST", "/users/" + Urls.pathSegment(userId) + "/reconnect", Map.of(), "{}")
                .thenApply(a -> new Ack(a.ok().status()));
    }

    // ------------------------------------------------------------------ channel queries (§6.5–6.7)

    /**
     * {@code GET /channels}: the occupied channels whose names start with {@code prefix} (null or "" for
     * all), with the attributes in {@code info} (e.g. {@code user_count} for a {@code presence-} prefix).
     */
    public CompletableFuture<ChannelsResult> channels(String prefix, String... info) {
        Map<String, String> params = new LinkedHashMap<>();
        if (prefix != null && !prefix.isEmpty()) {
            params.put("filter_by_prefix", prefix);
        }
        putInfo(params, info);
        return get("/channels", params).thenApply(ChannelsResult::from);
    }

    /** {@code GET /channels/{name}}: occupied or not, and the attributes in {@code info}. */
    public CompletableFuture<ChannelResult> channel(String name, String... info) {
        Checks.channel(name);
        Map<String, String> params = new LinkedHashMap<>();
        putInfo(params, info);
        return get("/channels/" + Urls.pathSegment(name), params).thenApply(a -> ChannelResult.from(name, a));
    }

    /** {@code GET /channels/{name}/users}: the user ids on a presence channel. */
    public CompletableFuture<PresenceUsers> presenceUsers(String name) {
        Checks.presenceChannel(name);
        return get("/channels/" + Urls.pathSegment(name) + "/users", Map.of()).thenApply(PresenceUsers::from);
    }

    // ------------------------------------------------------------------ user data API (Switchboard)

    /** {@code GET /users/{id}}: what the server holds about a user; empty when it knows nothing (404). */
    public CompletableFuture<Optional<User>> getUser(String userId) {
        Checks.userId(userId);
        return transport.send("GET", "/users/" + Urls.pathSegment(userId), Map.of(), null)
                .thenApply(AsyncSwitchboardClient::userOrEmpty);
    }

    /**
     * {@code GET /users}: one page of the users the server knows, in id order. {@code cursor} is null for the
     * first page, then the previous page's {@link UserList#nextCursor()}; {@code limit} null for the
     * server's default page size.
     */
    public CompletableFuture<UserList> listUsers(String cursor, Integer limit) {
        Map<String, String> params = new LinkedHashMap<>();
        if (cursor != null && !cursor.isEmpty()) {
            params.put("cursor", cursor);
        }
        if (limit != null) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + limit);
            }
            params.put("limit", limit.toString());
        }
        return get("/users", params).thenApply(UserList::from);
    }

    /**
     * {@code PUT /users/{id}} with {@code {"user_info":…}}: replaces the user's {@code user_info} (any value
     * Jackson can serialise) and returns the new snapshot; empty when the server does not know the user (404).
     */
    public CompletableFuture<Optional<User>> updateUser(String userId, Object userInfo) {
        Checks.userId(userId);
        Checks.notNull(userInfo, "user info");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_info", Json.tree(userInfo));
        return transport.send("PUT", "/users/" + Urls.pathSegment(userId), Map.of(), Json.write(body))
                .thenApply(AsyncSwitchboardClient::userOrEmpty);
    }

    /**
     * {@code DELETE /users/{id}}: erases everything the server holds about the user (closes its connections,
     * leaves its presence channels, drops user_info and watchlist entries) and says what went.
     */
    public CompletableFuture<UserErasure> deleteUser(String userId) {
        Checks.userId(userId);
        return transport.send("DELETE", "/users/" + Urls.pathSegment(userId), Map.of(), null)
                .thenApply(a -> UserErasure.from(a.ok()));
    }

    /**
     * {@code GET /users/{id}/inbox}: the events waiting for the user's next sign-in (the app's
     * {@code user_inbox_ttl_seconds} must be on), with the events themselves when {@code withEvents}.
     */
    public CompletableFuture<Inbox> getInbox(String userId, boolean withEvents) {
        Checks.userId(userId);
        Map<String, String> params = withEvents ? Map.of("with_events", "true") : Map.of();
        return transport.send("GET", "/users/" + Urls.pathSegment(userId) + "/inbox", params, null)
                .thenApply(a -> Inbox.from(a.ok()));
    }

    /** {@code DELETE /users/{id}/inbox}: drops what waits for the user; answers how many events that was. */
    public CompletableFuture<Integer> clearInbox(String userId) {
        Checks.userId(userId);
        return transport.send("DELETE", "/users/" + Urls.pathSegment(userId) + "/inbox", Map.of(), null)
                .thenApply(a -> a.ok().json().path("cleared").asInt(0));
    }

    // ------------------------------------------------------------------ plumbing

    private static Optional<User> userOrEmpty(Transport.Answer answer) {
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(User.from(answer.ok()));
    }

    private String payload(String channel, Object data) {
        String text = Json.eventData(data);
        if (Checks.isEncrypted(channel)) {
            text = encryption.encrypt(channel, text);
        }
        return Checks.eventData(text, settings.maxEventDataBytes());
    }

    private static void putOptions(Map<String, Object> body, String socketId, List<String> info) {
        if (socketId != null) {
            body.put("socket_id", socketId);
        }
        if (info != null && !info.isEmpty()) {
            body.put("info", String.join(",", info));
        }
    }

    private static void putInfo(Map<String, String> params, String... info) {
        if (info != null && info.length > 0) {
            for (String attribute : info) {
                Checks.notNull(attribute, "info attribute");
            }
            params.put("info", String.join(",", info));
        }
    }

    private CompletableFuture<Transport.Answer> post(String path, Object body) {
        return transport.send("POST", path, Map.of(), Json.write(body)).thenApply(Transport.Answer::ok);
    }

    private CompletableFuture<Transport.Answer> get(String path, Map<String, String> params) {
        return transport.send("GET", path, params, null).thenApply(Transport.Answer::ok);
    }

    @Override
    public String toString() {
        return "AsyncSwitchboardClient[" + settings + "]";
    }
}
