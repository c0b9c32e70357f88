package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The node's engine: every app, the connection handshake, and the local end of the cluster seam (what the
 * {@link Broker} delivers and the {@link SharedState} decided elsewhere). It knows nothing of Netty (sockets are
 * {@link Peer}s) nor whether other nodes exist.
 */
public final class Engine implements Broker.Delivery, SharedState.Transitions {
    private final ServerConfig config;
    private final Map<String, AppEngine> byKey = new LinkedHashMap<>();
    private final Map<String, AppEngine> byId = new LinkedHashMap<>();

    public Engine(ServerConfig config, Broker broker, SharedState state, EngineListener listener, LongSupplier clock) {
        this.config = config;
        for (AppConfig app : config.apps()) {
            AppEngine engine = new AppEngine(app, broker, state, listener, clock);
            if (byKey.putIfAbsent(app.key(), engine) != null || byId.putIfAbsent(app.id(), engine) != null) {
                throw new IllegalArgumentException("Two apps share the id or key of app " + app.id());
            }
        }
        broker.start(this);
        state.start(this);
    }

    public ServerConfig config() {
        return config;
    }

    /** Null when no app has this key. */
    public AppEngine appByKey(String key) {
        return byKey.get(key);
    }

    /** Null when no app has this id. */
    public AppEngine appById(String id) {
        return byId.get(id);
    }

    public Collection<AppEngine> apps() {
        return byId.values();
    }

    /**
     * A new socket for the app with this key; call on {@code peer.executor()}. Sends connection_established once
     * the app's connection quota (counted over the cluster) has room, else closes with 4004. Returns null after
     * closing the peer with 4001 (unknown key) or 4003 (disabled).
     */
    public Connection connect(String appKey, Peer peer) {
        AppEngine app = byKey.get(appKey);
        if (app == null) {
            peer.close(CloseCode.APP_NOT_FOUND, CloseCode.APP_NOT_FOUND.text() + ": " + appKey);
            return null;
        }
        if (!app.config().enabled()) {
            peer.close(CloseCode.APP_DISABLED, CloseCode.APP_DISABLED.text());
            return null;
        }
        Connection c;
        do {
            c = new Connection(newSocketId(), app, peer);
        } while (!app.register(c));
        app.listener.connectionOpened(app.config());
        c.open(config.activityTimeoutSeconds());
        return c;
    }

    /** Closes every connection with the code (4200 on graceful shutdown). */
    public void closeAll(CloseCode code, String message) {
        for (AppEngine app : byId.values()) {
            app.closeAll(code, message);
        }
    }

    public int connectionCount() {
        int n = 0;
        for (AppEngine app : byId.values()) {
            n += app.connectionCount();
        }
        return n;
    }

    @Override
    public void deliver(Topic topic, Frame frame, String exceptSocketId) {
        AppEngine app = byId.get(topic.appId());
        if (app != null) {
            app.deliver(topic, frame, exceptSocketId);
        }
    }

    @Override
    public void terminateUser(String appId, String userId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.terminateLocal(userId);
        }
    }

    @Override
    public void memberRemoved(String appId, String channel, String userId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.memberRemoved(channel, userId);
        }
    }

    @Override
    public void channelVacated(String appId, String channel) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.channelVacated(channel);
        }
    }

    @Override
    public void subscriptionCountChanged(String appId, String channel, int count) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.subscriptionCountChanged(channel, count);
        }
    }

    @Override
    public void userOffline(String appId, String userId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.userOffline(userId);
        }
    }

    /** Two unsigned integers joined by a dot, unpredictable (PROTOCOL.md §1.2). */
    private static String newSocketId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return (r.nextInt(1, Integer.MAX_VALUE) + "." + r.nextInt(1, Integer.MAX_VALUE));
    }
}
