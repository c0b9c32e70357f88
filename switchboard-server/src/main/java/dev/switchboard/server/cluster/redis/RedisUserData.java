package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;
import static dev.switchboard.server.cluster.redis.Replies.num;
import static dev.switchboard.server.cluster.redis.Replies.strings;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.server.engine.UserData;
import dev.switchboard.server.engine.UserErasure;
import dev.switchboard.server.engine.UserPage;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the user data API reads and erases in Redis: a user's snapshot (user_snapshot.lua on its slot, with its
 * inbox's count), the users of every node's index, user_info, and the erasure of everything held about a user
 * (erase_user.lua on its slot, then its place in each watcher's list on theirs, then its inbox).
 */
final class RedisUserData implements UserData {
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;
    private final NodeMirror mirror;
    /** Its watchlist's reverse index goes with an erased user. */
    private final RedisUsers users;
    private final RedisInboxes inboxes;

    RedisUserData(NodeShare share, RedisUsers users, RedisInboxes inboxes) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
        this.node = share.node;
        this.mirror = share.mirror;
        this.users = users;
        this.inboxes = inboxes;
    }

    @Override
    public CompletionStage<UserSnapshot> user(String appId, String userId) {
        return share.query(() -> link.eval(Script.USER_SNAPSHOT, keys.userKeys(appId, userId)).thenApply(r -> {
            List<Object> reply = list(r);
            long n = num(reply.get(0));
            if (n < 0) {
                return null;
            }
            List<String> channels = new ArrayList<>(strings(reply.get(4)));
            channels.sort(null);
            return new UserSnapshot(userId, n > 0, (int) n, flag(reply.get(1)) ? (String) reply.get(2) : null,
                    strings(reply.get(3)), List.copyOf(channels));
        }).thenCombine(inboxes.inbox(appId, userId, false), (snap, inbox) -> {
            if (snap == null) {
                // An offline user is known only through what waits for it.
                return inbox.count() == 0 ? null
                        : new UserSnapshot(userId, false, 0, null, List.of(), List.of(), inbox.count());
            }
            return snap.withInboxCount(inbox.count());
        }));
    }


    @Override
    public CompletionStage<UserPage> users(String appId, String cursor, int limit) {
        return share.query(() -> share.indexed(keys::nodeUsers, appId)
                .thenApply(found -> UserPage.of(new ArrayList<>(found), cursor, limit))); // found: a sorted set
    }

    @Override
    public CompletionStage<String> userInfo(String appId, String userId) {
        return share.query(() -> link.call(c -> c.get(keys.userKeys(appId, userId)[1])));
    }

    @Override
    public CompletionStage<Boolean> updateUserInfo(String appId, String userId, String userInfoJson) {
        synchronized (mirror) {
            mirror.updateUserInfo(appId, userId, userInfoJson);
        }
        String[] k = keys.userKeys(appId, userId);
        return share.query(() -> link.eval(Script.UPDATE_USER_INFO, new String[] {k[0], k[1]}, userInfoJson)
                .thenApply(r -> flag(list(r).get(0))));
    }

    @Override
    public CompletionStage<UserErasure> eraseUser(String appId, String userId) {
        return inboxes.clearInbox(appId, userId).thenCombine(eraseHeld(appId, userId), (inbox, erased) -> {
            if (erased == null) {
                return inbox == 0 ? null : new UserErasure(userId, 0, List.of(), false, 0, 0, inbox);
            }
            return new UserErasure(erased.id(), erased.connectionsClosed(), erased.presenceChannelsLeft(),
                    erased.userInfoErased(), erased.watchlistEntriesErased(), erased.watcherEntriesErased(), inbox);
        });
    }

    private CompletionStage<UserErasure> eraseHeld(String appId, String userId) {
        return share.query(() -> link.eval(Script.ERASE_USER, keys.eraseKeys(appId, userId)).thenCompose(r -> {
            synchronized (mirror) {
                if (mirror.erase(appId, userId) != null) {
                    share.index(keys.nodeUsers(node), RedisKeys.pair(appId, userId), false);
                }
            }
            List<Object> reply = list(r);
            if (num(reply.get(0)) < 0) {
                return CompletableFuture.<UserErasure>completedFuture(null);
            }
            List<String> watchlist = strings(reply.get(2));
            List<String> presence = new ArrayList<>();
            for (String ch : strings(reply.get(3))) {
                if (ChannelName.of(ch).isPresence()) {
                    presence.add(ch);
                }
            }
            presence.sort(null);
            List<String> watchers = strings(reply.get(4));
            // Done once the user is out of every watcher's list (on their slots), so no later read finds it there.
            List<CompletableFuture<Long>> removed = new ArrayList<>();
            for (String watcher : watchers) {
                removed.add(share.fire(c -> c.lrem(keys.watchlist(appId, watcher), 0, userId)));
            }
            users.unwatch(appId, userId, watchlist);
            UserErasure erased = new UserErasure(userId, (int) num(reply.get(0)), List.copyOf(presence),
                    flag(reply.get(1)), watchlist.size(), watchers.size());
            return CompletableFuture.allOf(removed.toArray(CompletableFuture[]::new)).handle((v, e) -> erased);
        }));
    }
}
