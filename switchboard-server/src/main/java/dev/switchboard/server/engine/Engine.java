package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.cluster.Adapter;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The node's engine: every app, the connection handshake, and the local end of the cluster adapter.
 * It knows nothing of Netty (sockets are {@link Peer}s) nor whether other nodes exist.
 */
public final class Engine implements Adapter.Delivery {
    private final ServerConfig config;
    private final Adapter adapter;
    private final Map<String, AppEngine> byKey = new LinkedHashMap<>();
    private final Map<String, AppEngine> byId = new LinkedHashMap<>();

    public Engine(ServerConfig config, Adapter adapter, EngineListener listener) {
        this(config, adapter, listener, System::currentTimeMillis);
    }

    public Engine(ServerConfig config, Adapter adapter, EngineListener listener, LongSupplier clock) {
        this.config = config;
        this.adapter = adapter;
        for (AppConfig app : config.apps()) {
            AppEngine engine = new AppEngine(app, adapter, listener, clock);
            if (byKey.putIfAbsent(app.key(), engine) != null || byId.putIfAbsent(app.id(), engine) != null) {
                throw new IllegalArgumentException("Two apps share the id or key of app " + app.id());
            }
        }
        adapter.start(this);
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
     * A new socket for the app with this key; call on {@code peer.executor()}. Sends connection_established.
     * Returns null after closing the peer with 4001 (unknown key), 4003 (disabled) or 4004 (over quota).
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
        if (!app.tryReserveConnection()) {
            peer.close(CloseCode.OVER_CONNECTION_QUOTA, CloseCode.OVER_CONNECTION_QUOTA.text());
            return null;
        }
        Connection c;
        do {
            c = new Connection(newSocketId(), app, peer);
        } while (!app.register(c));
        app.listener.connectionOpened(app.config());
        c.start(config.activityTimeoutSeconds());
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
    public void deliverToChannel(String appId, String channel, Frame frame, String exceptSocketId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.deliverToChannel(channel, frame, exceptSocketId);
        }
    }

    @Override
    public void deliverToUser(String appId, String userId, Frame frame, String exceptSocketId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.deliverToUser(userId, frame, exceptSocketId);
        }
    }

    @Override
    public void terminateUser(String appId, String userId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.terminateLocal(userId);
        }
    }

    /** Two unsigned integers joined by a dot, unpredictable (PROTOCOL.md §1.2). */
    private static String newSocketId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return (r.nextInt(1, Integer.MAX_VALUE) + "." + r.nextInt(1, Integer.MAX_VALUE));
    }
}
