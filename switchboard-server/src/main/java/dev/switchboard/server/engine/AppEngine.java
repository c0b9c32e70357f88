package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.cluster.Adapter;
import dev.switchboard.server.config.AppConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One app's state on this node: its connections, channels, cache, users and watchlists, and the queries the
 * HTTP API asks. Publishing goes through the cluster {@link Adapter}, which brings it back to
 * {@link #deliverToChannel}/{@link #deliverToUser} on every node.
 */
public final class AppEngine {
    private final AppConfig config;
    private final Adapter adapter;
    final EngineListener listener;
    final LongSupplier clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final Map<String, CachedEvent> caches = new ConcurrentHashMap<>();
    final UserRegistry users = new UserRegistry();
    final Watchlists watchlists = new Watchlists();
    private final Channel.DeliveryCounter deliveryCounter;
    /** Subscribe/unsubscribe rules; stateless beyond the app, so one per app, not one per connection. */
    final Subscriptions subscriptions;

    AppEngine(AppConfig config, Adapter adapter, EngineListener listener, LongSupplier clock) {
        this.config = config;
        this.adapter = adapter;
        this.listener = listener;
        this.clock = clock;
        this.deliveryCounter = (recipients, bytes) -> listener.delivered(config, recipients, bytes);
        this.subscriptions = new Subscriptions(this);
    }

    public AppConfig config() {
        return config;
    }

    public int connectionCount() {
        return connectionCount.get();
    }

    public int channelCount() {
        return channels.size();
    }

    public int onlineUserCount() {
        return users.size();
    }

    // ------------------------------------------------------------------ connections

    /** Reserves a slot under the app's connection quota. */
    boolean tryReserveConnection() {
        int max = config.maxConnections();
        int n = connectionCount.incrementAndGet();
        if (max >= 0 && n > max) {
            connectionCount.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Registers under a fresh socket id; false when the id is taken (the caller draws another). */
    boolean register(Connection c) {
        return connections.putIfAbsent(c.socketId(), c) == null;
    }

    void unregister(Connection c) {
        if (connections.remove(c.socketId(), c)) {
            connectionCount.decrementAndGet();
        }
    }

    void releaseReservation() {
        connectionCount.decrementAndGet();
    }

    Collection<Connection> connections() {
        return connections.values();
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Publish from the HTTP API. A {@code #server-to-user-<id>} channel goes to that user's connections;
     * a cache channel keeps the event. The frame is encoded once for all recipients on all nodes.
     */
    public void trigger(String channel, String event, String data, String exceptSocketId) {
        Frame frame = Frame.of(new ServerMessage.ChannelEvent(event, channel, WireCodec.quote(data), null));
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.SERVER_TO_USER) {
            adapter.publishToUser(config.id(), name.serverToUserId(), frame, exceptSocketId);
            return;
        }
        if (name.cache()) {
            caches.put(channel, new CachedEvent(event, data, clock.getAsLong() + config.cacheTtlSeconds() * 1000L));
        }
        adapter.publish(config.id(), channel, frame, exceptSocketId);
    }

    /** A client event from {@code sender}: to the channel's other subscribers on every node. */
    void publishFrom(Connection sender, String channel, Frame frame) {
        adapter.publish(config.id(), channel, frame, sender.socketId());
    }

    void deliverToChannel(String channel, Frame frame, String exceptSocketId) {
        Channel ch = channels.get(channel);
        if (ch != null) {
            ch.fanOut(frame, exceptSocketId == null ? null : connections.get(exceptSocketId), deliveryCounter);
        }
    }

    /** A server-originated frame (member and count events) for a channel's subscribers on every node. */
    void broadcast(String channel, Frame frame, Connection except) {
        adapter.publish(config.id(), channel, frame, except == null ? null : except.socketId());
    }

    void deliverToUser(String userId, Frame frame, String exceptSocketId) {
        UserRegistry.User user = users.get(userId);
        if (user == null) {
            return;
        }
        int n = 0;
        for (Connection c : user.connections) {
            if (!c.socketId().equals(exceptSocketId)) {
                c.peer().send(frame);
                n++;
            }
        }
        listener.delivered(config, n, frame.size());
    }

    void terminateLocal(String userId) {
        UserRegistry.User user = users.get(userId);
        if (user == null) {
            return;
        }
        for (Connection c : user.connections) {
            c.terminate("Connection terminated by the server");
        }
        listener.userTerminated(config, userId);
    }

    /** The user's last signed-in connection is gone: forget its watchlist, tell its watchers. */
    void wentOffline(String userId, List<String> lastWatchlist) {
        if (config.enableWatchlistEvents()) {
            watchlists.removeWatcher(userId, lastWatchlist);
            notifyWatchers(userId, false);
        }
        listener.userOffline(config, userId);
    }

    /** Sends an online or offline watchlist event about {@code userId} to every connection of its watchers. */
    void notifyWatchers(String userId, boolean online) {
        Frame frame = null;
        for (String watcher : watchlists.watchersOf(userId)) {
            UserRegistry.User w = users.get(watcher);
            if (w == null) {
                continue;
            }
            if (frame == null) {
                frame = Frame.of(online ? new ServerMessage.WatchlistEvents(List.of(userId), List.of())
                        : new ServerMessage.WatchlistEvents(List.of(), List.of(userId)));
            }
            for (Connection c : w.connections) {
                c.peer().send(frame);
            }
        }
    }

    CachedEvent cached(String channel) {
        CachedEvent e = caches.get(channel);
        if (e != null && e.expiresAtMillis() <= clock.getAsLong()) {
            caches.remove(channel, e);
            return null;
        }
        return e;
    }

    // ------------------------------------------------------------------ HTTP API queries

    public ChannelStats channelStats(String channel) {
        ChannelName name = ChannelName.of(channel);
        CachedEvent cache = name.cache() ? cached(channel) : null;
        Channel ch = channels.get(channel);
        if (ch == null) {
            return new ChannelStats(false, 0, name.isPresence() ? 0 : -1, cache);
        }
        return new ChannelStats(!ch.isEmpty(), ch.subscriptionCount(),
                name.isPresence() ? ch.memberCount() : -1, cache);
    }

    /** Occupied channels whose name starts with prefix (null: all), never {@code #server-to-user-}. */
    public Map<String, ChannelStats> occupiedChannels(String prefix) {
        Map<String, ChannelStats> out = new TreeMap<>();
        for (Map.Entry<String, Channel> e : channels.entrySet()) {
            String name = e.getKey();
            Channel ch = e.getValue();
            if (ch.isEmpty() || name.startsWith(ChannelName.SERVER_TO_USER_PREFIX)
                    || (prefix != null && !name.startsWith(prefix))) {
                continue;
            }
            out.put(name, new ChannelStats(true, ch.subscriptionCount(),
                    ch.name.isPresence() ? ch.memberCount() : -1, null));
        }
        return out;
    }

    public List<String> presenceUserIds(String channel) {
        Channel ch = channels.get(channel);
        return ch == null ? List.of() : ch.memberIds();
    }

    public void terminateUser(String userId) {
        adapter.terminateUser(config.id(), userId);
    }

    // ------------------------------------------------------------------ user data API

    /** Null when the server holds nothing about the user. */
    public UserSnapshot user(String userId) {
        UserRegistry.User u = users.get(userId);
        if (u == null) {
            return null;
        }
        Set<String> subscribed = new LinkedHashSet<>();
        for (Connection c : u.connections) {
            subscribed.addAll(c.subscribedChannels());
        }
        List<String> channelList = new ArrayList<>(subscribed);
        channelList.sort(null);
        return new UserSnapshot(u.id, !u.connections.isEmpty(), u.connections.size(), u.userInfoJson,
                u.watchlist, channelList);
    }

    public UserPage onlineUsers(String cursor, int limit) {
        List<String> ids = users.sortedIds();
        int from = 0;
        if (cursor != null && !cursor.isEmpty()) {
            while (from < ids.size() && ids.get(from).compareTo(cursor) <= 0) {
                from++;
            }
        }
        int to = Math.min(ids.size(), from + Math.max(1, limit));
        List<String> page = List.copyOf(ids.subList(from, to));
        String next = to < ids.size() && !page.isEmpty() ? page.get(page.size() - 1) : null;
        return new UserPage(page, ids.size(), next);
    }

    /** Replaces the user_info held for an online user (used by later presence joins through sign-in). */
    public boolean updateUserInfo(String userId, String userInfoJson) {
        UserRegistry.User u = users.get(userId);
        if (u == null) {
            return false;
        }
        u.userInfoJson = userInfoJson;
        return true;
    }

    /**
     * Terminates the user's connections and erases what is held: its entry, its watchlist, and its place in
     * other users' watchlists. Null when unknown.
     */
    public UserErasure deleteUser(String userId) {
        // Erase first, atomically: the closing sockets then find no entry, and this call alone tells the
        // watchers, before it drops their index entries (the other order could lose the offline event).
        UserRegistry.User u = users.erase(userId);
        if (u == null) {
            return null;
        }
        int connectionsClosed = u.connections.size();
        Set<String> presence = new TreeSet<>();
        for (Connection c : u.connections) {
            for (String ch : c.subscribedChannels()) {
                if (ChannelName.of(ch).isPresence()) {
                    presence.add(ch);
                }
            }
            c.terminate("User deleted by the server");
        }
        listener.userTerminated(config, userId);
        adapter.terminateUser(config.id(), userId);
        wentOffline(userId, u.watchlist);
        Set<String> watchers = watchlists.removeWatched(userId);
        for (String watcher : watchers) {
            UserRegistry.User w = users.get(watcher);
            if (w != null) {
                List<String> kept = new ArrayList<>(w.watchlist);
                kept.remove(userId);
                w.watchlist = List.copyOf(kept);
            }
        }
        return new UserErasure(userId, connectionsClosed, List.copyOf(presence), u.userInfoJson != null,
                u.watchlist.size(), watchers.size());
    }

    // ------------------------------------------------------------------ close

    void closeAll(CloseCode code, String message) {
        for (Connection c : connections.values()) {
            c.peer().close(code, message);
        }
    }
}
