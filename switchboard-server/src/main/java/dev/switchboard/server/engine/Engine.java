package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.Names;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The node's engine: every app, the connection handshake, and the local end of the cluster seam (what the
 * {@link Broker} delivers and the {@link SharedState} decided elsewhere). It knows nothing of Netty (sockets are
 * {@link Peer}s) nor whether other nodes exist. Apps come from the {@link AppLookup} (the config's, and a
 * database's): an app's engine is made the first time the app is looked up, and gets the app's new settings
 * when the lookup sees them change.
 */
public final class Engine implements Broker.Delivery, SharedState.Transitions {
    private final ServerConfig config;
    private final ChangeGate.Budget changeBudget;
    private final AppLookup apps;
    private final Broker broker;
    private final SharedState state;
    private final EngineListener listener;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, AppEngine> byId = new ConcurrentHashMap<>();
    private final List<Consumer<AppEngine>> appWatchers = new CopyOnWriteArrayList<>();
    private boolean started;

    /** Call {@link #start()} before the first connection: the constructor hands {@code this} to no one. */
    public Engine(ServerConfig config, AppLookup apps, Broker broker, SharedState state, EngineListener listener,
                  LongSupplier clock) {
        this.config = config;
        this.changeBudget = ChangeGate.Budget.of(config);
        this.apps = apps;
        this.broker = broker;
        this.state = state;
        this.listener = listener;
        this.clock = clock;
        for (AppConfig app : config.apps()) {
            engineFor(app);
        }
    }

    /**
     * Listens to the apps' changes and becomes the broker's and the state's local end. Apart from the constructor so
     * that none of them can call back into an engine not yet fully made (its fields final and visible). Once.
     */
    public Engine start() {
        if (started) {
            throw new IllegalStateException("Engine already started");
        }
        started = true;
        apps.onChange(app -> {
            AppEngine engine = byId.get(app.id());
            if (engine != null) {
                syncConfig(engine);
                if (!engine.config().enabled()) {
                    // An operator who disables a tenant expects it cut off, not just refused new sockets.
                    engine.closeAll(CloseCode.APP_DISABLED, CloseCode.APP_DISABLED.text());
                }
            }
        });
        apps.onGone(id -> {
            AppEngine engine = byId.get(id);
            if (engine != null && engine.connectionCount() > 0) {
                engine.closeAll(CloseCode.APP_NOT_FOUND, CloseCode.APP_NOT_FOUND.text() + ": " + Names.quote(id));
            }
        });
        apps.keepFresh(this::idsInUse);
        broker.start(this);
        state.start(this);
        return this;
    }

    private AppEngine engineFor(AppConfig app) {
        AppEngine engine = byId.get(app.id());
        if (engine != null) {
            return engine;
        }
        boolean[] made = new boolean[1];
        engine = byId.computeIfAbsent(app.id(), id -> {
            made[0] = true;
            return new AppEngine(app, broker, state, listener, clock, changeBudget, config.webhookLeaveDelayMillis());
        });
        if (made[0]) {
            // The lookup may have read a newer version while this one was being made.
            syncConfig(engine);
            for (Consumer<AppEngine> w : appWatchers) {
                w.accept(engine);
            }
        }
        return engine;
    }

    /**
     * Gives the engine the lookup's current version of its app. Always the lookup's latest, read under the
     * engine's lock, so that two updates racing cannot leave an older version in place.
     */
    private void syncConfig(AppEngine engine) {
        synchronized (engine) {
            AppConfig latest = apps.cachedById(engine.config().id());
            if (latest != null && !latest.equals(engine.config())) {
                engine.reconfigure(latest);
            }
        }
    }

    private Collection<String> idsInUse() {
        List<String> ids = new ArrayList<>();
        for (AppEngine a : byId.values()) {
            if (a.connectionCount() > 0) {
                ids.add(a.config().id());
            }
        }
        return ids;
    }

    /** Calls {@code watcher} with every app engine, those there now and each one made later. */
    public void watchApps(Consumer<AppEngine> watcher) {
        appWatchers.add(watcher);
        for (AppEngine a : byId.values()) {
            watcher.accept(a);
        }
    }

    /** The app with this key, fresh within the cache TTL; completes at once when cached. */
    public CompletableFuture<AppEngine> resolveByKey(String key) {
        return apps.byKey(key, null).thenApply(app -> app == null ? null : engineFor(app));
    }

    /** The app with this id, fresh within the cache TTL; completes at once when cached. */
    public CompletableFuture<AppEngine> resolveById(String id) {
        return apps.byId(id, null).thenApply(app -> app == null ? null : engineFor(app));
    }

    /**
     * As {@link #resolveByKey(String)} for a client at {@code clientAddress}, whose database look-ups are
     * bounded; may fail with {@link AppLookup.TooManyLookups} or {@link AppLookup.Overloaded}.
     */
    public CompletableFuture<AppEngine> resolveByKey(String key, String clientAddress) {
        return apps.byKey(key, clientAddress).thenApply(app -> app == null ? null : engineFor(app));
    }

    /** As {@link #resolveById(String)} for a client at {@code clientAddress} (see {@link #resolveByKey(String, String)}). */
    public CompletableFuture<AppEngine> resolveById(String id, String clientAddress) {
        return apps.byId(id, clientAddress).thenApply(app -> app == null ? null : engineFor(app));
    }

    public ServerConfig config() {
        return config;
    }

    /** Null when no app has this key, as far as the lookup knows without asking the database. */
    public AppEngine appByKey(String key) {
        AppConfig app = apps.cachedByKey(key);
        return app == null ? null : engineFor(app);
    }

    /** Null when no app has this id, as far as the lookup knows without asking the database. */
    public AppEngine appById(String id) {
        AppConfig app = apps.cachedById(id);
        return app == null ? null : engineFor(app);
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
        return connect(appByKey(appKey), appKey, peer);
    }

    /** As {@link #connect(String, Peer)} with the app already resolved ({@link #resolveByKey}); null: unknown. */
    public Connection connect(AppEngine app, String appKey, Peer peer) {
        if (app == null) {
            peer.close(CloseCode.APP_NOT_FOUND, CloseCode.APP_NOT_FOUND.text() + ": " + Names.quote(appKey));
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
        c.open(config.activityTimeoutSeconds());
        return c;
    }

    /** Closes every connection with the code (4200 on graceful shutdown). */
    public void closeAll(CloseCode code, String message) {
        for (AppEngine app : byId.values()) {
            app.closeAll(code, message);
        }
    }

    /** The sockets of every connection open now, for a drain that closes them a slice at a time. */
    public List<Peer> openPeers() {
        List<Peer> peers = new ArrayList<>();
        for (AppEngine app : byId.values()) {
            app.addPeers(peers);
        }
        return peers;
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
    public void reconnectUser(String appId, String userId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.reconnectLocal(userId);
        }
    }

    @Override
    public void memberRemoved(String appId, String channel, String userId) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.memberRemoved(channel, userId, Frame.UNORDERED, false);
        }
    }

    @Override
    public void memberRemoved(String appId, String channel, String userId, long position) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.memberRemoved(channel, userId, position, true);
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
            app.userOffline(userId, Frame.UNORDERED, false);
        }
    }

    @Override
    public void userOffline(String appId, String userId, long position) {
        AppEngine app = byId.get(appId);
        if (app != null) {
            app.userOffline(userId, position, true);
        }
    }

    @Override
    public void reconnectAll() {
        closeAll(CloseCode.RECONNECT, "This node rejoins the cluster; reconnect");
    }

    /** Two unsigned integers joined by a dot, unpredictable (PROTOCOL.md §1.2). */
    private static String newSocketId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return (r.nextInt(1, Integer.MAX_VALUE) + "." + r.nextInt(1, Integer.MAX_VALUE));
    }
}
