package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One page of {@code GET /users}: the ids on this page, how many users there are in all, and the cursor of
 * the next page (null on the last one).
 */
public record UserList(int status, List<String> ids, int total, String nextCursor) {

    public UserList {
        ids = List.copyOf(ids);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }

    static UserList from(Transport.Answer answer) {
        JsonNode node = answer.json();
        String next = ChannelInfo.text(node.get("next_cursor"));
        return new UserList(answer.status(), PresenceUsers.ids(node.get("users")), node.path("total").asInt(0),
                next == null || next.isEmpty() ? null : next);
    }
}
