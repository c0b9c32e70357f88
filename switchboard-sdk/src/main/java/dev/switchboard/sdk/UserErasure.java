package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What {@code deleteUser} erased: the connections it closed, the presence channels the user left, whether a
 * {@code user_info} was dropped, how many watchlist entries of the user (and watching the user) went, and how many
 * events waiting in its inbox.
 */
public record UserErasure(int status, String id, int connectionsClosed, List<String> presenceChannelsLeft,
                          boolean userInfoErased, int watchlistEntriesErased, int watcherEntriesErased,
                          int inboxEventsErased) {

    public UserErasure {
        presenceChannelsLeft = List.copyOf(presenceChannelsLeft);
    }

    static UserErasure from(Transport.Answer answer) {
        JsonNode e = answer.json().path("erased");
        return new UserErasure(answer.status(), ChannelInfo.text(e.get("id")),
                e.path("connections_closed").asInt(0), User.strings(e.get("presence_channels_left")),
                e.path("user_info").asBoolean(false), e.path("watchlist_entries").asInt(0),
                e.path("watcher_entries").asInt(0), e.path("inbox_events").asInt(0));
    }
}
