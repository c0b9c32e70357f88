package dev.switchboard.server.dashboard;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.server.engine.AppEngine;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine's queries and commands that the dashboard uses, each as a {@link CompletionStage} (the cluster's
 * shared state answers asynchronously). Channels and users are the cluster's; connections are this node's,
 * since the engine counts sockets where they are.
 */
final class AppQueries {
    private AppQueries() {}

    /** Connections (this node), occupied channels and users online (the cluster). */
    record Figures(int connections, int channels, int usersOnline) {}

    /** Figures and the channel map they were counted from, from one query each. */
    record Snapshot(Figures figures, Map<String, ChannelStats> channels) {}

    static CompletionStage<Snapshot> snapshot(AppEngine app) {
        return channels(app).thenCombine(app.onlineUsers(null, 1), (channels, users) ->
                new Snapshot(new Figures(app.connectionCount(), channels.size(), users.total()), channels));
    }

    static CompletionStage<Figures> figures(AppEngine app) {
        return snapshot(app).thenApply(Snapshot::figures);
    }

    /** Occupied channels by name, {@code #server-to-user-} ones left out. */
    static CompletionStage<Map<String, ChannelStats>> channels(AppEngine app) {
        return app.occupiedChannels(null);
    }

    /** Null when the server holds nothing about the user. */
    static CompletionStage<UserSnapshot> user(AppEngine app, String userId) {
        return app.user(userId);
    }

    static CompletionStage<Void> terminate(AppEngine app, String userId) {
        app.terminateUser(userId);
        return CompletableFuture.completedFuture(null);
    }

    /** To every connection signed in as the user, through its {@code #server-to-user-} channel. */
    static CompletionStage<Void> sendToUser(AppEngine app, String userId, String event, String data) {
        app.trigger(ChannelName.SERVER_TO_USER_PREFIX + userId, event, data, null);
        return CompletableFuture.completedFuture(null);
    }
}
