package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /channels/{name}/users}: the user ids present on a presence channel. */
public record PresenceUsers(int status, List<String> ids) {

    public PresenceUsers {
        ids = List.copyOf(ids);
    }

    static PresenceUsers from(Transport.Answer answer) {
        return new PresenceUsers(answer.status(), ids(answer.json().get("users")));
    }

    /** The {@code id}s of an array of {@code {"id":…}} objects. */
    static List<String> ids(JsonNode users) {
        List<String> ids = new ArrayList<>();
        if (users != null && users.isArray()) {
            for (JsonNode user : users) {
                String id = ChannelInfo.text(user.get("id"));
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
