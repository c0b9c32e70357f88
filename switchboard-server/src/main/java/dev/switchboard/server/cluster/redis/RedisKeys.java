package dev.switchboard.server.cluster.redis;

import dev.switchboard.server.engine.Topic;

/**
 * Every Redis key and pub/sub channel name, in one place. Each name carries a Redis Cluster hash tag (the part in
 * braces) so that all keys one Lua script touches live in one slot, and a topic's pub/sub channel lives in the
 * slot of the state it belongs to (so a switch to SSUBSCRIBE/SPUBLISH keeps a channel's traffic on the shard
 * that holds its state):
 * <ul>
 *   <li>{@code {c:<app>:<channel>}}: one channel's subscribers, members, cache and messages;</li>
 *   <li>{@code {u:<app>:<user>}}: one user's connections, user_info, watchlist, channels, watchers and messages
 *       (issue 11's inbox belongs here too, so the send-vs-sign-in race is one script);</li>
 *   <li>{@code {a:<app>}}: the app's connection quota;</li>
 *   <li>{@code {n:<node>}}: the index of what one node contributes (what its cleaner visits);</li>
 *   <li>{@code {nodes}}: the node leases.</li>
 * </ul>
 * User ids may hold any character; a {@code '}'} inside one only shortens the tag, identically for all keys of
 * that user, so they still share a slot.
 */
final class RedisKeys {
    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    // ------------------------------------------------------------------ channel slot

    private String channelTag(String app, String channel) {
        return prefix + ":{c:" + app + ":" + channel + "}";
    }

    /** The six keys the channel scripts take, in their KEYS order. */
    String[] channelKeys(String app, String channel) {
        String t = channelTag(app, channel);
        return new String[] {t + ":subs", t + ":mn", t + ":mt", t + ":mo", t + ":mi", t + ":seq"};
    }

    /** The channel script keys and then the channel's topic: a presence change is published by its script. */
    String[] channelKeysAndTopic(String app, String channel) {
        String[] k = channelKeys(app, channel);
        String[] out = java.util.Arrays.copyOf(k, k.length + 1);
        out[k.length] = channelTag(app, channel) + ":msg";
        return out;
    }

    /** The channel's held leaves (webhooks, lib.lua): a hash field per held vacancy or member removal. */
    String channelHeld(String app, String channel) {
        return channelTag(app, channel) + ":held";
    }

    /** What join.lua and leave.lua take: the channel script keys, its topic, its held leaves. */
    String[] channelKeysTopicAndHeld(String app, String channel) {
        String[] k = channelKeysAndTopic(app, channel);
        String[] out = java.util.Arrays.copyOf(k, k.length + 1);
        out[k.length] = channelHeld(app, channel);
        return out;
    }

    /** Channel resume: the channel's window (events, oldest first) and its sequence, in the channel's slot. */
    String[] window(String app, String channel) {
        String t = channelTag(app, channel);
        return new String[] {t + ":rw", t + ":rwseq"};
    }

    /** What window_append.lua takes: the channel's window keys and then its topic (the script publishes). */
    String[] windowAndTopic(String app, String channel) {
        String t = channelTag(app, channel);
        return new String[] {t + ":rw", t + ":rwseq", t + ":msg"};
    }

    /** Channel resume: a user's place in the channel and the channel's sequence, in the channel's slot. */
    String[] windowPlace(String app, String channel, String user) {
        String t = channelTag(app, channel);
        return new String[] {t + ":rp:" + user, t + ":rwseq"};
    }

    /**
     * Channel resume: a user's place, the channel's sequence and {@code node}'s delivery mark (the highest sequence
     * that node took for delivery while it held a signed-in subscriber), all in the channel's slot.
     */
    String[] windowPlaceAndMark(String app, String channel, String user, String node) {
        String t = channelTag(app, channel);
        return new String[] {t + ":rp:" + user, t + ":rwseq", t + ":rmk:" + node};
    }

    /** Channel resume: {@code node}'s delivery mark in the channel. */
    String windowMark(String app, String channel, String node) {
        return channelTag(app, channel) + ":rmk:" + node;
    }

    String cache(String app, String channel) {
        return channelTag(app, channel) + ":cache";
    }

    // ------------------------------------------------------------------ user slot

    private String userTag(String app, String user) {
        return prefix + ":{u:" + app + ":" + user + "}";
    }

    /** The six keys the user scripts take, in their KEYS order. */
    String[] userKeys(String app, String user) {
        String t = userTag(app, user);
        return new String[] {t + ":conns", t + ":info", t + ":wl", t + ":ch", t + ":chn", t + ":watchers"};
    }

    String userConns(String app, String user) {
        return userTag(app, user) + ":conns";
    }

    String watchlist(String app, String user) {
        return userTag(app, user) + ":wl";
    }

    String watchers(String app, String user) {
        return userTag(app, user) + ":watchers";
    }

    /** The events kept for the user while it is offline (issue 11), a list, oldest first. */
    String inbox(String app, String user) {
        return userTag(app, user) + ":inbox";
    }

    /** The user's ban (docs/users.md, "Bans"): a string holding its end in epoch ms, expiring then. */
    String ban(String app, String user) {
        return userTag(app, user) + ":ban";
    }

    /**
     * The user keys plus the inbox, the held going offline, the user's watch order, its watchers' topic and its ban:
     * what sign_in.lua takes.
     */
    String[] signInKeys(String app, String user) {
        return with(userKeys(app, user), inbox(app, user), userHeld(app, user), watchOrder(app, user),
                watchTopic(app, user), ban(app, user));
    }

    /** The counter of a user's online/offline positions (lib.lua, announce_watch). */
    String watchOrder(String app, String user) {
        return userTag(app, user) + ":wseq";
    }

    /** The pub/sub channel of the user's watchers ({@link #topicChannel} of its WATCHERS topic). */
    String watchTopic(String app, String user) {
        return userTag(app, user) + ":watch";
    }

    /** The user keys plus its watch order and watchers' topic: what drop_node_user.lua takes. */
    String[] dropUserKeys(String app, String user) {
        return with(userKeys(app, user), watchOrder(app, user), watchTopic(app, user));
    }

    /** The user keys plus its watch order (whose name holds the user id): what erase_user.lua takes. */
    String[] eraseKeys(String app, String user) {
        return with(userKeys(app, user), watchOrder(app, user));
    }

    private static String[] with(String[] keys, String... more) {
        String[] out = java.util.Arrays.copyOf(keys, keys.length + more.length);
        System.arraycopy(more, 0, out, keys.length, more.length);
        return out;
    }

    /** The user's held going offline (webhooks, lib.lua): a hash with one field. */
    String userHeld(String app, String user) {
        return userTag(app, user) + ":held";
    }

    /** What sign_out.lua takes: the user keys, the held going offline, the watch order and the watchers' topic. */
    String[] signOutKeys(String app, String user) {
        return with(userKeys(app, user), userHeld(app, user), watchOrder(app, user), watchTopic(app, user));
    }

    // ------------------------------------------------------------------ app slot

    String appConns(String app) {
        return prefix + ":{a:" + app + "}:conns";
    }

    // ------------------------------------------------------------------ nodes

    String nodes() {
        return prefix + ":{nodes}";
    }

    /** Dead nodes whose cleanup is under way (node → expiry of the cleaner's claim). */
    String cleanups() {
        return prefix + ":{nodes}:cleanups";
    }

    /**
     * Nodes declared dead (node → when, Redis clock ms), kept for a day: a node that reaches Redis again finds out
     * from this whether the cluster removed it while it was cut off (then it fences) or Redis lost its data.
     */
    String dead() {
        return prefix + ":{nodes}:dead";
    }

    /** The pub/sub channel a node publishes its own probes to, and subscribes to, to see that the loop works. */
    String probe(String node) {
        return prefix + ":{n:" + node + "}:probe";
    }

    /** The node's index sets: channels, users, apps it contributes to. */
    String nodeChannels(String node) {
        return prefix + ":{n:" + node + "}:ch";
    }

    String nodeUsers(String node) {
        return prefix + ":{n:" + node + "}:u";
    }

    String nodeApps(String node) {
        return prefix + ":{n:" + node + "}:apps";
    }

    /** Channel resume: the users' places (app, channel, user) the node counts connections in ({@link #triple}). */
    String nodePlaces(String node) {
        return prefix + ":{n:" + node + "}:rp";
    }

    /** A triple (app, channel, user) as one index member, as unambiguous as {@link #pair}. */
    static String triple(String app, String channel, String user) {
        return pair(app, pair(channel, user));
    }

    /** The inverse of {@link #triple}: {app, channel, user}. */
    static String[] untriple(String member) {
        String[] a = unpair(member);
        String[] b = unpair(a[1]);
        return new String[] {a[0], b[0], b[1]};
    }

    /** A pair (app, name) as one index member, unambiguous whatever the name holds: {@code <app length>:<app><name>}. */
    static String pair(String app, String name) {
        return app.length() + ":" + app + name;
    }

    /** The inverse of {@link #pair}: {app, name}. */
    static String[] unpair(String member) {
        int colon = member.indexOf(':');
        int len = Integer.parseInt(member.substring(0, colon));
        return new String[] {member.substring(colon + 1, colon + 1 + len), member.substring(colon + 1 + len)};
    }

    // ------------------------------------------------------------------ pub/sub

    /** The pub/sub channel of a topic, in the slot of the topic's state. */
    String topicChannel(Topic topic) {
        switch (topic.kind()) {
            case CHANNEL:
                return channelTag(topic.appId(), topic.name()) + ":msg";
            case USER:
                return userTag(topic.appId(), topic.name()) + ":msg";
            case WATCHERS:
                return watchTopic(topic.appId(), topic.name());
            default:
                throw new IllegalArgumentException(topic.toString());
        }
    }
}
