package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What {@code deleteUser} erased: the connections it closed, the presence channels the user left, whether a
 * {@code user_info} was dropped, and how many watchlist entries of the user (and watching the user) went.
 */
public record UserErasure(int status, String id, int connectionsClosed, List<String> presenceChannelsLeft,
                          boolean userInfoErased, int watchlistEntriesErased, int watcherEntriesErased) {

    public UserErasure {
        presenceChannelsLeft = List.copyOf(presenceChannelsLeft);
    }

    static UserErasure from(Transport.Answer answer) {
        JsonNode e = answer.json().path("erased");
        return new UserErasure(answer.status(), ChannelInfo.text(e.get("id")),
                e.path("connections_closed").asInt(0), User.strings(e.get("presence_channels_left")),
                e.path("user_info").asBoolean(false), e.path("watchlist_entries").asInt(0),
                e.path("watcher_entries").asInt(0));
    }
}
