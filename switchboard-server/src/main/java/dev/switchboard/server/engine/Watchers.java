package dev.switchboard.server.engine;

import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.config.AppConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Telling watchers (PROTOCOL.md §5.10): each online/offline decision is published on the watched user's
 * {@link Topic.Kind#WATCHERS} topic, on every node, and each node hands it to its connections of the users
 * watching it ({@link Watchlists}), unless it is not news to them. One per app.
 */
final class Watchers {
    private static final byte[] OFFLINE = "\"name\":\"offline\"".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<AppConfig> app;
    private final Broker broker;
    private final UserRegistry users;
    private final Watchlists watchlists;
    /**
     * What each signed-in connection here was last told about each user it watches, and the newest position of the
     * user's order it has seen. The state a watcher reads at sign-in and the events published meanwhile may say the
     * same thing twice (the design prefers twice to never); a watcher is never told a state it already holds,
     * so online and offline alternate for it, and a change older than one it has seen (decided first, arrived
     * later: two threads or two nodes deciding one user's changes) is dropped, so it ends on the last one.
     */
    private final ConcurrentHashMap<Recipient, ConcurrentHashMap<String, Told>> told = new ConcurrentHashMap<>();

    /** {@code position}: the newest of the watched user's order seen ({@link Frame#UNORDERED} when none). */
    private record Told(boolean online, long position) {}

    Watchers(Supplier<AppConfig> app, Broker broker, UserRegistry users, Watchlists watchlists) {
        this.app = app;
        this.broker = broker;
        this.users = users;
        this.watchlists = watchlists;
    }

    /** Tells the user's watchers, on every node, at {@code position} of its order (0 or less: outside it). */
    void publish(String userId, boolean online, long position) {
        AppConfig config = app.get();
        if (!config.enableWatchlistEvents()) {
            return;
        }
        ServerMessage message = online ? new ServerMessage.WatchlistEvents(List.of(userId), List.of())
                : new ServerMessage.WatchlistEvents(List.of(), List.of(userId));
        Frame frame = position > 0 ? Frame.membership(message, position) : Frame.of(message);
        broker.publish(Topic.watchers(config.id(), userId), frame, null);
    }

    /** A watchlist frame about {@code watched}, for every connection here of a user watching it. */
    void deliver(String watched, Frame frame) {
        boolean online = !saysOffline(frame);
        for (String watcher : watchlists.watchersOf(watched)) {
            for (Recipient c : users.connections(watcher)) {
                if (tell(c, watched, online, frame.position())) {
                    c.peer().send(frame);
                }
            }
        }
    }

    /**
     * Records that {@code c} learns {@code watched} is {@code online}, as of {@code position} in the user's order (0
     * or less: outside it); true when that is news to tell it. Not news: the state it holds, or a change older than
     * the newest it has seen.
     */
    boolean tell(Recipient c, String watched, boolean online, long position) {
        boolean[] news = new boolean[1];
        told.computeIfAbsent(c, k -> new ConcurrentHashMap<>()).compute(watched, (k, before) -> {
            if (before == null) {
                news[0] = true;
                return new Told(online, Math.max(Frame.UNORDERED, position));
            }
            if (position > Frame.UNORDERED && position <= before.position()) {
                return before; // decided before a change it has already seen
            }
            news[0] = before.online() != online;
            return new Told(online, Math.max(before.position(), position));
        });
        return news[0];
    }

    /** The connection signed out: what it was told goes with it. */
    void forget(Recipient c) {
        told.remove(c);
    }

    /**
     * A frame of the watchers topic is about one user, online or offline ({@link #publish}); it arrives encoded
     * (perhaps from another node), and the group name tells which (a user id cannot hold an unescaped quote).
     */
    private static boolean saysOffline(Frame frame) {
        byte[] b = frame.bytes();
        outer:
        for (int i = 0; i + OFFLINE.length <= b.length; i++) {
            for (int j = 0; j < OFFLINE.length; j++) {
                if (b[i + j] != OFFLINE[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
