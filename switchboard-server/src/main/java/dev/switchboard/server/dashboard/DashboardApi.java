package dev.switchboard.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.RequestPaths;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.edge.HttpReply;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The JSON endpoints under {@code /dashboard/api/}, every one behind the token (checked by the caller):
 * <pre>
 * GET  apps                              every app: id, key, figures
 * GET  apps/{id}                         one app's figures and its per-second series
 * GET  apps/{id}/channels                occupied channels with occupancy
 * GET  apps/{id}/stream                  server-sent events: figures each second, console events
 * GET  apps/{id}/users/{user}            the user data API's view of one user
 * POST apps/{id}/users/{user}/events     {"event":"…","data":…} to every connection of the user
 * POST apps/{id}/users/{user}/terminate  closes every connection of the user with 4009; {"ban_seconds":N} bans it
 *                                        first (1..max_ban_seconds, as the HTTP API)
 * POST apps/{id}/users/{user}/reconnect  closes every connection of the user with 4200 (its clients sign in again)
 * POST apps/{id}/users/{user}/unban      lifts the user's ban
 * </pre>
 */
final class DashboardApi {
    private final Engine engine;
    private final Throughput throughput;
    private final LiveStreams streams;
    private final int maxBanSeconds;

    DashboardApi(Engine engine, Throughput throughput, LiveStreams streams, int maxBanSeconds) {
        this.engine = engine;
        this.throughput = throughput;
        this.streams = streams;
        this.maxBanSeconds = maxBanSeconds;
    }

    /** {@code rest} is the path after {@code /dashboard/api/}. */
    CompletionStage<HttpReply> handle(String method, String rest, byte[] body) {
        String[] parts = rest.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = decode(parts[i]);
            if (parts[i] == null) {
                return done(DashboardReplies.error(400, "Malformed path"));
            }
        }
        if (parts.length == 1 && parts[0].equals("apps")) {
            return get(method) ? apps() : notAllowed();
        }
        if (parts.length < 2 || !parts[0].equals("apps")) {
            return notFound();
        }
        // Apps can come from a database: resolving may ask it (never on the event loop's time).
        return engine.resolveById(parts[1]).thenCompose(app -> app == null
                ? done(DashboardReplies.error(404, "No app with this id"))
                : appRoute(app, method, parts, body));
    }

    private CompletionStage<HttpReply> appRoute(AppEngine app, String method, String[] parts, byte[] body) {
        if (parts.length == 2) {
            return get(method) ? app(app) : notAllowed();
        }
        if (parts.length == 3 && parts[2].equals("channels")) {
            return get(method) ? AppQueries.channels(app).thenApply(c -> ok(DashboardJson.channels(c))) : notAllowed();
        }
        if (parts.length == 3 && parts[2].equals("stream")) {
            return get(method) ? stream(app) : notAllowed();
        }
        if (parts.length >= 4 && parts[2].equals("users")) {
            String userId = parts[3];
            if (userId.isEmpty() || userId.length() > app.config().maxUserIdLength()) {
                return done(DashboardReplies.error(400, "User id must have 1 to "
                        + app.config().maxUserIdLength() + " characters"));
            }
            if (parts.length == 4) {
                return get(method) ? user(app, userId) : notAllowed();
            }
            if (parts.length == 5 && parts[4].equals("events")) {
                return "POST".equals(method) ? sendToUser(app, userId, body) : notAllowed();
            }
            if (parts.length == 5 && parts[4].equals("terminate")) {
                return "POST".equals(method) ? terminate(app, userId, body) : notAllowed();
            }
            if (parts.length == 5 && parts[4].equals("reconnect")) {
                if (!"POST".equals(method)) {
                    return notAllowed();
                }
                app.reconnectUser(userId);
                return done(ok(Map.of("reconnected", userId)));
            }
            if (parts.length == 5 && parts[4].equals("unban")) {
                return "POST".equals(method)
                        ? app.liftBan(userId).thenApply(lifted -> ok(Map.of("lifted", lifted)))
                        : notAllowed();
            }
        }
        return notFound();
    }

    private CompletionStage<HttpReply> apps() {
        List<CompletableFuture<Map<String, Object>>> each = new ArrayList<>();
        List<AppEngine> known = new ArrayList<>(engine.apps());
        // By id, so that the page's list keeps its order (the engine's has none).
        known.sort(java.util.Comparator.comparing(a -> a.config().id()));
        for (AppEngine app : known) {
            each.add(AppQueries.figures(app)
                    .thenApply(f -> DashboardJson.app(app.config(), f, throughput.latest(app.config().id())))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (CompletableFuture<Map<String, Object>> f : each) {
                list.add(f.join());
            }
            return ok(Map.of("apps", list));
        });
    }

    private CompletionStage<HttpReply> app(AppEngine app) {
        String id = app.config().id();
        return AppQueries.figures(app).thenApply(f -> {
            Map<String, Object> m = DashboardJson.app(app.config(), f, throughput.latest(id));
            m.put("series", DashboardJson.series(throughput.series(id)));
            return ok(m);
        });
    }

    private CompletionStage<HttpReply> stream(AppEngine app) {
        return done(DashboardReplies.events(sink -> streams.open(app, sink)));
    }

    private CompletionStage<HttpReply> user(AppEngine app, String userId) {
        return AppQueries.user(app, userId).thenApply(u -> u == null
                ? DashboardReplies.error(404, "The server holds nothing about user " + Names.quote(userId))
                : ok(DashboardJson.user(u)));
    }

    /** Terminate, with a ban first when the body has a ban_seconds other than 0 or null. */
    private CompletionStage<HttpReply> terminate(AppEngine app, String userId, byte[] body) {
        JsonNode json = body == null || body.length == 0 ? null : WireCodec.parse(body);
        JsonNode ban = json == null ? null : json.get("ban_seconds");
        if (ban == null || ban.isNull() || (ban.isIntegralNumber() && ban.longValue() == 0)) {
            return AppQueries.terminate(app, userId).thenApply(v -> ok(Map.of("terminated", userId)));
        }
        if (!ban.isIntegralNumber() || ban.longValue() < 1 || ban.longValue() > maxBanSeconds) {
            return done(DashboardReplies.error(400, "ban_seconds must be a whole number from 1 to " + maxBanSeconds));
        }
        return app.banUser(userId, ban.longValue() * 1000).thenApply(until -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("terminated", userId);
            m.put("banned_until_ms", until);
            return ok(m);
        });
    }

    private CompletionStage<HttpReply> sendToUser(AppEngine app, String userId, byte[] body) {
        AppConfig config = app.config();
        JsonNode json = body == null || body.length == 0 ? null : WireCodec.parse(body);
        if (json == null || !json.isObject()) {
            return done(DashboardReplies.error(400, "Body must be a JSON object {\"event\":…,\"data\":…}"));
        }
        JsonNode event = json.get("event");
        if (event == null || !event.isTextual() || event.textValue().isEmpty()
                || event.textValue().length() > config.maxEventNameLength()) {
            return done(DashboardReplies.error(400, "event must be a name of 1 to "
                    + config.maxEventNameLength() + " characters"));
        }
        JsonNode dataNode = json.get("data");
        // Like the HTTP API, data is a string on the wire: a string is sent as is, anything else as its JSON.
        String data = dataNode == null || dataNode.isNull() ? "{}"
                : dataNode.isTextual() ? dataNode.textValue() : WireCodec.write(dataNode);
        if (data.getBytes(StandardCharsets.UTF_8).length > config.maxEventDataBytes()) {
            return done(DashboardReplies.error(413, "data larger than " + config.maxEventDataBytes() + " bytes"));
        }
        String name = event.textValue();
        return AppQueries.sendToUser(app, userId, name, data).thenApply(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sent", name);
            m.put("user", userId);
            return ok(m);
        });
    }

    private static boolean get(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private static HttpReply ok(Object body) {
        return DashboardReplies.json(200, body);
    }

    private static CompletionStage<HttpReply> done(HttpReply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static CompletionStage<HttpReply> notFound() {
        return done(DashboardReplies.error(404, "Not found"));
    }

    private static CompletionStage<HttpReply> notAllowed() {
        return done(DashboardReplies.error(405, "Method not allowed"));
    }

    /** A path segment decoded as the API and the WebSocket URL decode theirs; null when malformed. */
    private static String decode(String segment) {
        try {
            return RequestPaths.decode(segment, false);
        } catch (RequestPaths.Malformed e) {
            return null;
        }
    }
}
