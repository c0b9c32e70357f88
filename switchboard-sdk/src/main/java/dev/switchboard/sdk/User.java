package dev.switchboard.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server holds about one user (Switchboard's user data API): whether it is signed in anywhere, on
 * how many connections, its {@code user_info} as JSON text (null when there is none), its watchlist and
 * the channels its connections are subscribed to, and how many events wait in its inbox for its next sign-in.
 */
public record User(int status, String id, boolean online, int connections, String userInfoJson,
                   List<String> watchlist, List<String> channels, int inboxCount) {

    public User {
        watchlist = List.copyOf(watchlist);
        channels = List.copyOf(channels);
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
                strings(node.get("watchlist")), strings(node.get("channels")), node.path("inbox").asInt(0));
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
