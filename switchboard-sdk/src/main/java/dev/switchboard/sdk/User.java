package dev.switchboard.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server holds about one user (Switchboard's user data API): whether it is signed in anywhere, on
 * how many connections, its {@code user_info} as JSON text (null when there is none), its watchlist and
 * the channels its connections are subscribed to, how many events wait in its inbox for its next sign-in, and
 * the end of its ban (epoch ms; 0 when it is not banned).
 */
public record User(int status, String id, boolean online, int connections, String userInfoJson,
                   List<String> watchlist, List<String> channels, int inboxCount, long bannedUntilMs) {

    public User {
        watchlist = List.copyOf(watchlist);
        channels = List.copyOf(channels);
    }

    public User(int status, String id, boolean online, int connections, String userInfoJson,
                List<String> watchlist, List<String> channels, int inboxCount) {
        this(status, id, online, connections, userInfoJson, watchlist, channels, inboxCount, 0);
    }

    /** Whether the user is banned (as of the read). */
    public boolean banned() {
        return bannedUntilMs > 0;
    }

    /** {@code user_info} read into {@code type} (a Map, a record, a JsonNode…); null when there is none. */
    public <T> T userInfoAs(Class<T> type) {
        if (userInfoJson == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(userInfoJson, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("user_info does not fit " + type.getName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    static User from(Transport.Answer answer) {
        JsonNode node = answer.json();
        JsonNode info = node.get("user_info");
        JsonNode online = node.get("online");
        return new User(answer.status(), ChannelInfo.text(node.get("id")),
                online != null && online.asBoolean(),
                node.path("connections").asInt(0),
                info == null || info.isNull() ? null : info.toString(),
                strings(node.get("watchlist")), strings(node.get("channels")), node.path("inbox").asInt(0),
                node.path("banned_until_ms").asLong(0));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                out.add(item.isTextual() ? item.textValue() : item.toString());
            }
        }
        return out;
    }
}
