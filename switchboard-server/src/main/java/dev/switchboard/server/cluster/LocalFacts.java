package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.CachedEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The facts of a node alone, shared by its local ports ({@link LocalChannelState}, {@link LocalOnlineUsers},
 * {@link LocalUserData}, {@link LocalInboxes}, {@link LocalQuota}, {@link LocalHeldLeaves}): one app's channels,
 * users, watchers, caches, inboxes and held leaves. Each transition is decided inside a
 * {@code ConcurrentHashMap.compute} on the channel or user it concerns, whichever port decides it, so two event loops
 * racing on one channel get one occupied and one member_added between them, and a keep and a sign-in of one user
 * never interleave.
 */
final class LocalFacts {
    final LongSupplier clock;
    private final Map<String, App> apps = new ConcurrentHashMap<>();

    LocalFacts(LongSupplier clock) {
        this.clock = clock;
    }

    App app(String appId) {
        return apps.computeIfAbsent(appId, k -> new App(clock));
    }

    /** One app's facts. */
    static final class App {
        final AtomicInteger connections = new AtomicInteger();
        final ConcurrentHashMap<String, Chan> channels = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();
        /** watched user id → the users whose watchlist holds it. */
        final ConcurrentHashMap<String, Set<String>> watchers = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, CachedEvent> caches = new ConcurrentHashMap<>();
        /**
         * The membership order of every presence channel of the app, and the online/offline order of every user: one
         * counter for all of them, moved only inside a channel's (or user's) compute, so each channel's and user's
         * changes get increasing positions, and a channel vacated and occupied again (a user gone and back) continues
         * above its old ones (an event of its old life still on its way is then never news).
         */
        final AtomicLong positions = new AtomicLong();
        /** Touched only inside {@code users.compute} for the same user id (see {@link LocalInbox}). */
        final LocalInbox inbox;
        /** Touched only inside the compute of the channel or user a hold concerns. */
        final LocalHolds holds;
        /**
         * user id → the end of its ban (epoch ms). Written and read only inside {@code users.compute} for that user id
         * (a compute on an absent key still locks its bin), so a ban and a sign-in of one user never interleave.
         */
        final ConcurrentHashMap<String, Long> bans = new ConcurrentHashMap<>();

        App(LongSupplier clock) {
            inbox = new LocalInbox(clock);
            holds = new LocalHolds(clock);
        }

        /** The end of the user's ban, 0 when none or past; inside {@code users.compute} for the user only. */
        long bannedUntil(String userId, long now) {
            Long until = bans.get(userId);
            if (until == null) {
                return 0;
            }
            if (until <= now) {
                bans.remove(userId, until);
                return 0;
            }
            return until;
        }

        /** Keeps a signed-in user's channel list in step with its sockets' joins and leaves. */
        void userChannel(String userId, String channel, int delta) {
            users.computeIfPresent(userId, (k, u) -> {
                u.channels.merge(channel, delta, (a, b) -> a + b <= 0 ? null : a + b);
                return u;
            });
        }

        /** Keeps the watched → watchers index in step with one watcher's list. */
        void reindexWatchlist(String watcher, List<String> previous, List<String> current) {
            for (String id : previous) {
                if (!current.contains(id)) {
                    watchers.computeIfPresent(id, (k, set) -> {
                        set.remove(watcher);
                        return set.isEmpty() ? null : set;
                    });
                }
            }
            for (String id : current) {
                watchers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(watcher);
            }
        }
    }

    /** A channel with subscribers: how many sockets, and for presence the members in join order. */
    static final class Chan {
        int subscriptions;
        final LinkedHashMap<String, MemberPart> members;

        Chan(boolean presence) {
            members = presence ? new LinkedHashMap<>() : null;
        }
    }

    /** A presence member of a channel: its user_info as it joined and how many of its sockets are in. */
    static final class MemberPart {
        final String userInfoJson;
        int sockets;

        MemberPart(String userInfoJson) {
            this.userInfoJson = userInfoJson;
        }
    }

    /** A signed-in user: its connections, what it signed in with, the channels its connections subscribe to. */
    static final class User {
        int connections;
        volatile String userInfoJson;
        volatile List<String> watchlist = List.of();
        final Map<String, Integer> channels = new HashMap<>();
    }

    static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
