package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.CachedEvent;
import dev.switchboard.server.engine.ChannelState.Joined;
import dev.switchboard.server.engine.ChannelState.Left;
import dev.switchboard.server.engine.ChannelState.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's own share of the shared state, in memory: its reserved connections, its sockets per channel and
 * per presence member, its signed-in connections per user with what they signed in with, and the cache events it
 * put. It is what the node writes back after Redis lost or missed its share, and it decides on its own — as if this
 * node were alone — while Redis is unreachable. Every method is called under the mirror's monitor, by
 * {@link RedisQuota}, {@link RedisChannels}, {@link RedisUsers} and {@link RedisUserData}, which also send the
 * matching Redis commands under it through {@link NodeShare}, so Redis sees this node's changes in the order the mirror made them;
 * {@link NodeLeases} reads it whole under the monitor to write it back.
 */
final class NodeMirror {

    static final class ChannelPart {
        int sockets;
        final LinkedHashMap<String, MemberPart> members = new LinkedHashMap<>();
    }

    static final class MemberPart {
        int sockets;
        final String info;

        MemberPart(String info) {
            this.info = info;
        }
    }

    static final class UserPart {
        int conns;
        String info;
        List<String> watchlist = List.of();
        final Map<String, Integer> channels = new HashMap<>();
    }

    record Key(String app, String name) {}

    final Map<String, Integer> reserved = new HashMap<>();
    final Map<Key, ChannelPart> channels = new HashMap<>();
    final Map<Key, UserPart> users = new HashMap<>();
    final Map<Key, CachedEvent> caches = new HashMap<>();
    /**
     * While this node is fenced ({@link NodeFence}) the cluster has already taken its share out and reported what
     * that decided: the leaves of its old connections are counted here and decide nothing more.
     */
    boolean fenced;

    /** Nothing held: no connection, channel or user of this node (cache events do not count). */
    boolean isEmpty() {
        return reserved.isEmpty() && channels.isEmpty() && users.isEmpty();
    }

    /** Forgets the share (a fenced node rejoins with none). */
    void clear() {
        reserved.clear();
        channels.clear();
        users.clear();
    }

    // ------------------------------------------------------------------ connections

    boolean reserve(String app, int max) {
        int n = reserved.getOrDefault(app, 0);
        if (max >= 0 && n >= max) {
            return false;
        }
        reserved.put(app, n + 1);
        return true;
    }

    void release(String app) {
        reserved.computeIfPresent(app, (k, n) -> n <= 1 ? null : n - 1);
    }

    // ------------------------------------------------------------------ channels

    /** Applies the join unless a presence channel is at its limit here already; the decision as if alone. */
    Joined join(String app, String channel, Member member, String signedInUserId, int maxMembers) {
        Key k = new Key(app, channel);
        ChannelPart ch = channels.get(k);
        if (member != null && ch != null && !ch.members.containsKey(member.userId())
                && maxMembers >= 0 && ch.members.size() >= maxMembers) {
            return Joined.refused();
        }
        if (member != null && ch == null && maxMembers == 0) {
            return Joined.refused();
        }
        if (ch == null) {
            ch = new ChannelPart();
            channels.put(k, ch);
        }
        boolean occupied = ch.sockets == 0;
        ch.sockets++;
        boolean newMember = false;
        Map<String, String> roster = null;
        if (member != null) {
            MemberPart m = ch.members.get(member.userId());
            if (m == null) {
                m = new MemberPart(member.userInfoJson());
                ch.members.put(member.userId(), m);
                newMember = true;
            }
            m.sockets++;
            roster = new LinkedHashMap<>();
            for (Map.Entry<String, MemberPart> e : ch.members.entrySet()) {
                roster.put(e.getKey(), e.getValue().info);
            }
        }
        userChannel(app, signedInUserId, channel, 1);
        if (fenced) {
            return new Joined(false, false, false, ch.sockets, roster);
        }
        return new Joined(false, occupied, newMember, ch.sockets, roster);
    }

    Left leave(String app, String channel, String memberId, String signedInUserId) {
        Key k = new Key(app, channel);
        ChannelPart ch = channels.get(k);
        if (ch == null) {
            return new Left(false, false, 0);
        }
        userChannel(app, signedInUserId, channel, -1);
        ch.sockets--;
        boolean removed = false;
        if (memberId != null) {
            MemberPart m = ch.members.get(memberId);
            if (m != null && --m.sockets <= 0) {
                ch.members.remove(memberId);
                removed = true;
            }
        }
        if (ch.sockets <= 0) {
            channels.remove(k);
            return new Left(!fenced, removed && !fenced, 0);
        }
        return new Left(false, removed && !fenced, ch.sockets);
    }

    private void userChannel(String app, String userId, String channel, int delta) {
        if (userId == null) {
            return;
        }
        UserPart u = users.get(new Key(app, userId));
        if (u != null) {
            u.channels.merge(channel, delta, (a, b) -> a + b <= 0 ? null : a + b);
        }
    }

    // ------------------------------------------------------------------ users

    /** Applies the sign-in; true when this is the user's first signed-in connection here. */
    boolean signIn(String app, String userId, String info, List<String> watchlist, Collection<String> channels,
                   boolean repeat) {
        Key k = new Key(app, userId);
        UserPart u = users.get(k);
        boolean first = u == null || u.conns == 0;
        if (u == null) {
            u = new UserPart();
            users.put(k, u);
        }
        if (!repeat || u.conns == 0) {
            u.conns++;
            for (String c : channels) {
                u.channels.merge(c, 1, Integer::sum);
            }
        } else {
            first = false;
        }
        u.info = info;
        u.watchlist = List.copyOf(watchlist);
        return first && !fenced;
    }

    /** A copy of what this node holds for the user (connections, info, watchlist), null when nothing. */
    UserPart copyOfUser(String app, String userId) {
        UserPart u = users.get(new Key(app, userId));
        if (u == null) {
            return null;
        }
        UserPart copy = new UserPart();
        copy.conns = u.conns;
        copy.info = u.info;
        copy.watchlist = u.watchlist;
        copy.channels.putAll(u.channels);
        return copy;
    }

    /**
     * Takes back a sign-in the cluster refused: the user as it was before ({@code before}, null when it had nothing
     * here). True when the user now has nothing here (its index entry goes too).
     */
    boolean undoSignIn(String app, String userId, Collection<String> channels, UserPart before) {
        Key k = new Key(app, userId);
        if (before == null) {
            return users.remove(k) != null;
        }
        users.put(k, before);
        return false;
    }

    /** Applies the sign-out; true when it was the user's last signed-in connection here. */
    boolean signOut(String app, String userId, Collection<String> channels) {
        Key k = new Key(app, userId);
        UserPart u = users.get(k);
        if (u == null) {
            return false;
        }
        for (String c : channels) {
            u.channels.merge(c, -1, (a, b) -> a + b <= 0 ? null : a + b);
        }
        if (--u.conns <= 0) {
            users.remove(k);
            return !fenced;
        }
        return false;
    }

    /** Forgets the user (erased); its connections' later sign-outs find nothing. */
    UserPart erase(String app, String userId) {
        return users.remove(new Key(app, userId));
    }

    boolean updateUserInfo(String app, String userId, String info) {
        UserPart u = users.get(new Key(app, userId));
        if (u == null) {
            return false;
        }
        u.info = info;
        return true;
    }

    List<String> channelsOf(String app, String userId) {
        UserPart u = users.get(new Key(app, userId));
        return u == null ? List.of() : new ArrayList<>(u.channels.keySet());
    }
}
