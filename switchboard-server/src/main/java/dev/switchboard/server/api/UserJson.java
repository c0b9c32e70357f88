package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.engine.UserErasure;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the user data API (docs/http-api.md); the dashboard shows users in the same shape. */
public final class UserJson {
    private UserJson() {}

    /**
     * {@code {"id","online","connections","user_info","watchlist","channels","inbox","banned_until_ms"}}; user_info is
     * the JSON value or null, banned_until_ms the ban's end (epoch ms) or null when the user is not banned.
     */
    public static Map<String, Object> snapshot(UserSnapshot user) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id());
        out.put("online", user.online());
        out.put("connections", user.connections());
        out.put("user_info", userInfo(user.userInfoJson()));
        out.put("watchlist", user.watchlist() == null ? List.of() : user.watchlist());
        out.put("channels", user.channels() == null ? List.of() : user.channels());
        out.put("inbox", user.inboxCount());
        out.put("banned_until_ms", user.bannedUntilMs() > 0 ? user.bannedUntilMs() : null);
        return out;
    }

    /** {@code {"erased":{"id","connections_closed","presence_channels_left","user_info","watchlist_entries","watcher_entries","inbox_events"}}}. */
    static Map<String, Object> erasure(UserErasure erased) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("id", erased.id());
        inner.put("connections_closed", erased.connectionsClosed());
        inner.put("presence_channels_left",
                erased.presenceChannelsLeft() == null ? List.of() : erased.presenceChannelsLeft());
        inner.put("user_info", erased.userInfoErased());
        inner.put("watchlist_entries", erased.watchlistEntriesErased());
        inner.put("watcher_entries", erased.watcherEntriesErased());
        inner.put("inbox_events", erased.inboxEventsErased());
        return Map.of("erased", inner);
    }

    /** The stored JSON text as a JSON value, so it is embedded rather than re-quoted. */
    private static JsonNode userInfo(String json) {
        if (json == null) {
            return null;
        }
        JsonNode node = WireCodec.parse(json);
        // Stored info that is not JSON (should not happen) is reported as the string it is.
        return node != null && !node.isMissingNode() ? node : WireCodec.mapper().getNodeFactory().textNode(json);
    }
}
