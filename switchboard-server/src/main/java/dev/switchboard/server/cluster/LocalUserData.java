package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.LocalFacts.done;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.server.cluster.LocalFacts.App;
import dev.switchboard.server.cluster.LocalFacts.User;
import dev.switchboard.server.engine.UserData;
import dev.switchboard.server.engine.UserErasure;
import dev.switchboard.server.engine.UserPage;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/** The one-node {@link UserData}: what the user data API reads and erases, from this process's memory. */
final class LocalUserData implements UserData {
    private final LocalFacts facts;
    /** A user's inbox counts in its snapshot and goes with its erasure. */
    private final LocalInboxes inboxes;

    LocalUserData(LocalFacts facts, LocalInboxes inboxes) {
        this.facts = facts;
        this.inboxes = inboxes;
    }

    @Override
    public CompletionStage<UserSnapshot> user(String appId, String userId) {
        UserSnapshot[] snap = new UserSnapshot[1];
        facts.app(appId).users.computeIfPresent(userId, (k, u) -> {
            snap[0] = new UserSnapshot(userId, u.connections > 0, u.connections, u.userInfoJson, u.watchlist,
                    List.copyOf(new TreeSet<>(u.channels.keySet())));
            return u;
        });
        int kept = inboxes.inbox(appId, userId, false).toCompletableFuture().join().count();
        if (snap[0] == null) {
            // An offline user is known only through what waits for it.
            return done(kept == 0 ? null : new UserSnapshot(userId, false, 0, null, List.of(), List.of(), kept));
        }
        return done(snap[0].withInboxCount(kept));
    }

    @Override
    public CompletionStage<UserPage> users(String appId, String cursor, int limit) {
        return done(UserPage.of(new ArrayList<>(new TreeSet<>(facts.app(appId).users.keySet())), cursor, limit));
    }

    @Override
    public CompletionStage<String> userInfo(String appId, String userId) {
        User u = facts.app(appId).users.get(userId);
        return done(u == null ? null : u.userInfoJson);
    }

    @Override
    public CompletionStage<Boolean> updateUserInfo(String appId, String userId, String userInfoJson) {
        boolean[] found = new boolean[1];
        facts.app(appId).users.computeIfPresent(userId, (k, u) -> {
            u.userInfoJson = userInfoJson;
            found[0] = true;
            return u;
        });
        return done(found[0]);
    }

    @Override
    public CompletionStage<UserErasure> eraseUser(String appId, String userId) {
        App app = facts.app(appId);
        User u = app.users.remove(userId);
        int inboxErased = inboxes.clearInbox(appId, userId).toCompletableFuture().join();
        if (u == null) {
            return done(inboxErased == 0 ? null
                    : new UserErasure(userId, 0, List.of(), false, 0, 0, inboxErased));
        }
        List<String> presence = new ArrayList<>();
        for (String ch : new TreeSet<>(u.channels.keySet())) {
            if (ChannelName.of(ch).isPresence()) {
                presence.add(ch);
            }
        }
        app.reindexWatchlist(userId, u.watchlist, List.of());
        Set<String> watchers = app.watchers.remove(userId);
        int dropped = 0;
        if (watchers != null) {
            for (String watcher : watchers) {
                boolean[] changed = new boolean[1];
                app.users.computeIfPresent(watcher, (k, w) -> {
                    List<String> kept = new ArrayList<>(w.watchlist);
                    changed[0] = kept.remove(userId);
                    w.watchlist = List.copyOf(kept);
                    return w;
                });
                if (changed[0]) {
                    dropped++;
                }
            }
        }
        return done(new UserErasure(userId, u.connections, List.copyOf(presence), u.userInfoJson != null,
                u.watchlist.size(), dropped, inboxErased));
    }
}
