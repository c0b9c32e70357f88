package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.util.Map;

/**
 * Subscribe and unsubscribe (PROTOCOL.md §2.3–§2.9, §3): who may join a channel, the roster change made
 * atomically with the membership change, and what the channel is told afterwards. Frames are sent only
 * after the channel map's per-channel lock is released.
 */
final class Subscriptions {
    /** Above this many subscribers, subscription_count is sent at most once per interval (§2.9). */
    private static final int COUNT_THROTTLE_THRESHOLD = 100;
    private static final long COUNT_THROTTLE_MILLIS = 30_000;

    private final AppEngine app;
    private final AppConfig config;

    Subscriptions(AppEngine app) {
        this.app = app;
        this.config = app.config();
    }

    /** The verdict on a subscribe request: the channel and member, or why not. */
    record Decision(ChannelName name, Identity.Member member, String problem) {
        static Decision no(String problem) { return new Decision(null, null, problem); }
    }

    /** What joining changed: the roster to send (presence), whether the user/channel is new. */
    record Joined(Map<String, String> roster, boolean newMember, boolean occupied, int count) {}

    Decision decide(Connection c, ClientMessage.Subscribe s) {
        String channel = s.channel();
        String problem = ChannelName.problem(channel, config.maxChannelNameLength());
        if (problem != null) {
            return Decision.no(problem);
        }
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.SERVER_TO_USER) {
            String uid = c.userId();
            if (uid == null || !uid.equals(name.serverToUserId())) {
                return Decision.no("Subscription to " + channel + " is only allowed for a connection signed in as "
                        + name.serverToUserId());
            }
            return new Decision(name, null, null);
        }
        if (!name.type().requiresAuth()) {
            return new Decision(name, null, null);
        }
        String auth = s.auth();
        if (!Signatures.isWellFormedAuth(auth)) {
            return Decision.no("Auth value for subscription to " + channel
                    + " is invalid: should be of format 'key:signature'");
        }
        String key = auth.substring(0, auth.indexOf(':'));
        if (!Signatures.matches(config.key(), key)) {
            return Decision.no("Invalid key in subscription auth to " + channel + ": " + key);
        }
        Identity.Member member = null;
        String toSign;
        if (name.isPresence() && s.channelData() != null) {
            toSign = Signatures.presenceString(c.socketId(), channel, s.channelData());
        } else {
            toSign = Signatures.channelString(c.socketId(), channel);
        }
        if (!Signatures.verifyAuth(auth, config.key(), config.secret(), toSign)) {
            return Decision.no("Invalid signature: Expected HMAC SHA256 hex digest of " + toSign + ", but got "
                    + auth.substring(auth.indexOf(':') + 1));
        }
        if (name.isPresence()) {
            if (s.channelData() != null) {
                Identity.Parsed<Identity.Member> parsed = Identity.member(s.channelData(), config);
                if (parsed.problem() != null) {
                    return Decision.no(parsed.problem());
                }
                member = parsed.value();
            } else if (c.userId() != null) {
                // Presence authorised through sign-in (§3.4): the member is the signed-in user, with the
                // user_info the server holds for it (which a user-data PUT may have replaced).
                UserRegistry.User held = app.users.get(c.userId());
                String info = held != null ? held.userInfoJson : c.userInfoJson();
                member = new Identity.Member(c.userId(), info);
            } else {
                return Decision.no("Presence subscription to " + channel
                        + " needs channel_data or a signed-in connection");
            }
        }
        return new Decision(name, member, null);
    }

    /**
     * Adds the connection to the channel; null when a presence channel is full. Occupied and member_added
     * are reported inside the per-channel compute, so that a leave and a join racing on two event loops
     * reach the listeners and the members in the order they happened (listeners and the adapter only queue).
     */
    Joined join(Connection c, ChannelName name, Identity.Member member) {
        Joined[] result = new Joined[1];
        String channel = name.value();
        app.channels.compute(channel, (k, ch) -> {
            boolean created = ch == null || ch.isEmpty();
            if (ch == null) {
                ch = new Channel(name);
            }
            if (member != null && !ch.hasMember(member.userId())
                    && ch.memberCount() >= config.maxPresenceMembers()) {
                return ch.isEmpty() ? null : ch;
            }
            boolean newMember = ch.add(c, member == null ? null : member.userId(),
                    member == null ? null : member.userInfoJson());
            if (created) {
                app.listener.channelOccupied(config, channel);
            }
            if (newMember) {
                app.broadcast(channel, Frame.of(new ServerMessage.MemberAdded(channel, member.userId(),
                        member.userInfoJson())), c);
                app.listener.memberAdded(config, channel, member.userId());
            }
            result[0] = new Joined(member == null ? null : ch.roster(), newMember, created, ch.subscriptionCount());
            return ch;
        });
        return result[0];
    }

    /** What the subscriber is told after its subscription_succeeded: the cache, the new count. */
    void afterJoin(Connection c, ChannelName name, Joined joined) {
        String channel = name.value();
        app.listener.subscribed(config, channel);
        if (name.cache()) {
            CachedEvent cached = app.cached(channel);
            if (cached != null) {
                c.send(new ServerMessage.ChannelEvent(cached.event(), channel, WireCodec.quote(cached.data()), null));
            } else {
                c.send(new ServerMessage.CacheMiss(channel));
                app.listener.cacheMiss(config, channel);
            }
        }
        countChanged(app.channels.get(channel), joined.count());
    }

    void leave(Connection c, ChannelName name, String memberId) {
        String channel = name.value();
        int[] count = {-1};
        Channel[] left = new Channel[1];
        app.channels.computeIfPresent(channel, (k, ch) -> {
            boolean memberRemoved = ch.remove(c, memberId);
            if (memberRemoved) {
                app.broadcast(channel, Frame.of(new ServerMessage.MemberRemoved(channel, memberId)), null);
                app.listener.memberRemoved(config, channel, memberId);
            }
            if (ch.isEmpty()) {
                app.listener.channelVacated(config, channel);
                return null;
            }
            count[0] = ch.subscriptionCount();
            left[0] = ch;
            return ch;
        });
        app.listener.unsubscribed(config, channel);
        if (left[0] != null) {
            countChanged(left[0], count[0]);
        }
    }

    private void countChanged(Channel ch, int count) {
        if (ch == null || !config.enableSubscriptionCount()
                || (ch.name.isPresence() && !config.subscriptionCountOnPresence())) {
            return;
        }
        long now = app.clock.getAsLong();
        if (count > COUNT_THROTTLE_THRESHOLD && now - ch.lastCountBroadcastMillis < COUNT_THROTTLE_MILLIS) {
            return;
        }
        ch.lastCountBroadcastMillis = now;
        app.broadcast(ch.name.value(), Frame.of(new ServerMessage.SubscriptionCount(ch.name.value(), count)), null);
        app.listener.subscriptionCount(config, ch.name.value(), count);
    }
}
