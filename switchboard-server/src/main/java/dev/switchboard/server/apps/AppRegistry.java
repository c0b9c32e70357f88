package dev.switchboard.server.apps;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.AppNames;
import dev.switchboard.server.config.ConfigLoader.ConfigException;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.AppLookup;
import dev.switchboard.server.logging.RateLimitedLog;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every app this node knows, by id and by key. Config apps are fixed; database apps are cached for the TTL.
 * A look-up never blocks its caller: a cached app (fresh, or stale while the database is down) answers at
 * once, anything else is read on this registry's own threads, one read per name however many ask. An app
 * that changed (disabled, secret rotated, limits) is handed to the {@link #onChange} listeners, so the engine
 * swaps its config. While the database is down an app not cached is unknown at once, never a wait.
 */
public final class AppRegistry implements AppLookup, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppRegistry.class);
    /** Look-ups run per connecting client and per API request with an uncached key or id. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);

    private final Map<String, AppConfig> fixedById;
    private final Map<String, AppConfig> fixedByKey;
    private final AppSource source;
    private final long ttlNanos;
    private final AppCache cache = new AppCache();
    private final ConcurrentHashMap<String, CompletableFuture<AppConfig>> inFlight = new ConcurrentHashMap<>();
    private final List<Consumer<String>> goneListeners = new CopyOnWriteArrayList<>();
    private final LookupGuard guard;
    /** Names already logged as refused (clash or bad row), so that each is logged once. */
    private final Set<String> refusedLogged = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor lookups;
    private final ScheduledExecutorService timer;
    private final DatabaseHealth health;
    private final AppRefresh refresh;

    private AppRegistry(List<AppConfig> fixed, AppSource source, ServerConfig config) {
        Map<String, AppConfig> ids = new HashMap<>();
        Map<String, AppConfig> keys = new HashMap<>();
        for (AppConfig a : fixed) {
            if (ids.putIfAbsent(a.id(), a) != null || keys.putIfAbsent(a.key(), a) != null) {
                throw new IllegalArgumentException("Two apps share the id or key of app " + a.id());
            }
        }
        this.fixedById = Map.copyOf(ids);
        this.fixedByKey = Map.copyOf(keys);
        this.source = source;
        this.ttlNanos = TimeUnit.SECONDS.toNanos(config.appsCacheTtlSeconds());
        if (source == null) {
            lookups = null;
            timer = null;
            health = null;
            guard = null;
            refresh = null;
        } else {
            guard = new LookupGuard(config, System::nanoTime);
            health = new DatabaseHealth(source, () -> changed(null, null));
            refresh = new AppRefresh(cache, guard, health, fixedById::containsKey, this::readAgain, this::byId, ttlNanos);
            lookups = new ThreadPoolExecutor(config.appsDbPoolSize(), config.appsDbPoolSize(), 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(config.appsDbQueueSize()), daemon("switchboard-apps-db-"));
            lookups.allowCoreThreadTimeOut(true);
            timer = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-apps-timer-"));
        }
    }

    /** The config's apps only. */
    public static AppRegistry of(List<AppConfig> apps) {
        return new AppRegistry(apps, null, ServerConfig.defaults());
    }

    /**
     * The config's apps and, with {@code apps_from}, the database's: runs the migration when asked, reads every
     * database app once (warming the cache) and refuses to start, saying why, when the database cannot be read
     * or one of its apps has the id or key of a config app.
     */
    public static AppRegistry start(ServerConfig config) {
        if (!config.hasAppsDatabase()) {
            return of(config.apps());
        }
        DatabaseUrl url;
        try {
            url = DatabaseUrl.parse(config.appsFrom());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
        JdbcAppSource source = new JdbcAppSource(url, config.appsTable(), config.appsDbPoolSize(), config.appsDbTimeoutMillis());
        try {
            return start(config, source, config.appsMigrate() ? source::migrate : () -> {});
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    static AppRegistry start(ServerConfig config, AppSource source, Runnable migrate) {
        List<AppConfig> stored = StartupRead.read(config, source, migrate);
        AppRegistry r = new AppRegistry(config.apps(), source, config);
        String clashes = StartupRead.clashes(stored, r::clash);
        if (clashes != null) {
            r.close();
            throw new IllegalStateException("Apps in both the config and " + source.describe() + ": "
                    + clashes + ". Remove or rename one of each.");
        }
        r.cache.warm(stored, System.nanoTime() + r.ttlNanos);
        source.watch(r::changed, r.health::feed);
        r.refresh.schedule(r.timer, config.appsCacheTtlSeconds());
        log.info("Apps from {}: {} apps, cached for {} s{}", source.describe(), stored.size(),
                config.appsCacheTtlSeconds(), source.hasChangeFeed() ? ", changes at once through NOTIFY" : "");
        return r;
    }

    // ---------------------------------------------------------------- look-ups

    /** The app, fixed or cached (even stale); null when not known right now. Never blocks. */
    @Override
    public AppConfig cachedById(String id) {
        AppConfig fixed = fixedById.get(id);
        if (fixed != null || source == null) {
            return fixed;
        }
        return cache.any(id, true);
    }

    @Override
    public AppConfig cachedByKey(String key) {
        AppConfig fixed = fixedByKey.get(key);
        if (fixed != null || source == null) {
            return fixed;
        }
        return cache.any(key, false);
    }

    /**
     * The app with this id as of at most the TTL ago; null when there is none, or when it is not cached and
     * the database is down. Completes at once when cached; may complete on a registry thread; fails with
     * {@link Overloaded} only.
     */
    public CompletableFuture<AppConfig> byId(String id) {
        return lookup(id, true, null);
    }

    /** As {@link #byId}, by the key clients connect with. */
    public CompletableFuture<AppConfig> byKey(String key) {
        return lookup(key, false, null);
    }

    /**
     * As {@link #byId}, asked by a client at {@code clientAddress}: a query it causes counts against its
     * {@code max_apps_db_lookups_per_ip_per_second}; may also fail with {@link TooManyLookups}.
     */
    @Override
    public CompletableFuture<AppConfig> byId(String id, String clientAddress) {
        return lookup(id, true, clientAddress);
    }

    /** As {@link #byKey}, asked by a client at {@code clientAddress} (see {@link #byId(String, String)}). */
    @Override
    public CompletableFuture<AppConfig> byKey(String key, String clientAddress) {
        return lookup(key, false, clientAddress);
    }

    private CompletableFuture<AppConfig> lookup(String name, boolean isId, String client) {
        AppConfig fixed = (isId ? fixedById : fixedByKey).get(name);
        if (fixed != null || source == null || name == null) {
            return CompletableFuture.completedFuture(fixed);
        }
        if (!AppNames.valid(name)) {
            // No row can hold it (the same rule refuses such a row): unknown without a query.
            return CompletableFuture.completedFuture(null);
        }
        AppConfig fresh = cache.fresh(name, isId, System.nanoTime());
        if (fresh != null) {
            return CompletableFuture.completedFuture(fresh);
        }
        AppConfig stale = cache.any(name, isId);
        if (stale == null && guard.knownMissing(name, isId)) {
            return CompletableFuture.completedFuture(null);
        }
        if (!health.up()) {
            // Cached apps keep serving, unknown ones are unknown now: nobody waits on a database that is down.
            health.countUnavailable();
            return CompletableFuture.completedFuture(stale);
        }
        String flight = (isId ? "i:" : "k:") + name;
        CompletableFuture<AppConfig> running = inFlight.get(flight);
        if (running != null) {
            // Joining a read under way costs no query, so it takes nothing from the client's allowance.
            return running;
        }
        // Only names the cache does not hold are charged: re-reading an app cached (but expired) costs at most one
        // query per app per TTL whoever asks, and must not be held back, or a change would be served stale.
        long wait = stale == null ? guard.admit(client) : 0;
        if (wait > 0) {
            return CompletableFuture.failedFuture(new TooManyLookups(wait, guard.rate()));
        }
        CompletableFuture<AppConfig> mine = new CompletableFuture<>();
        running = inFlight.putIfAbsent(flight, mine);
        if (running != null) {
            return running;
        }
        try {
            lookups.execute(() -> {
                try {
                    mine.complete(load(name, isId));
                } catch (Throwable t) {
                    limitedLog.error("lookup-failed", "Apps look-up failed", t);
                    mine.complete(cache.any(name, isId));
                } finally {
                    inFlight.remove(flight, mine);
                }
            });
        } catch (RejectedExecutionException r) {
            inFlight.remove(flight, mine);
            if (stale != null) {
                mine.complete(stale);
            } else {
                mine.completeExceptionally(new Overloaded());
            }
        }
        return mine;
    }

    /** Reads one app from the database and caches it; on a registry thread. */
    private AppConfig load(String name, boolean isId) {
        long gen = refresh.generation();
        AppConfig app;
        try {
            app = isId ? source.byId(name) : source.byKey(name);
            health.succeeded();
        } catch (AppSource.Unavailable u) {
            health.failed(u);
            health.countUnavailable();
            return cache.any(name, isId);
        } catch (ConfigException bad) {
            logOnce("row:" + name, "Apps database {}: refusing an app it holds: {}", source.describe(), bad.getMessage());
            app = null;
        }
        if (app != null) {
            String clash = clash(app);
            if (clash != null) {
                logOnce("clash:" + app.id(), "Apps database {}: refusing app '{}': {}", source.describe(), app.id(), clash);
                app = null;
            }
        }
        boolean current = refresh.generation() == gen;
        long expires = current ? System.nanoTime() + ttlNanos : System.nanoTime();
        cache.store(name, isId, app, expires);
        if (app == null) {
            if (current) {
                guard.missing(name, isId);
            }
            if (isId) {
                // Deleted, or its row refused: the engine closes the connections it still has (4001).
                for (Consumer<String> l : goneListeners) {
                    l.accept(name);
                }
            }
        } else {
            guard.found(app.id(), app.key());
        }
        return app;
    }

    /** Why this database app cannot be served next to the config's apps; null when it can. */
    private String clash(AppConfig a) {
        if (fixedById.containsKey(a.id())) {
            return "the id '" + a.id() + "' is a config app's";
        }
        AppConfig byTheKey = fixedByKey.get(a.key());
        if (byTheKey != null) {
            return "app '" + a.id() + "' has the key of config app '" + byTheKey.id() + "'";
        }
        return null;
    }

    // ---------------------------------------------------------------- changes and health

    /** Called with each app whose settings changed (disabled, secret rotated...); on a registry thread. */
    @Override
    public void onChange(Consumer<AppConfig> listener) {
        cache.onChange(listener);
    }

    /**
     * Called with the id of each app the database no longer holds (deleted, or its row now refused), each time
     * a read by id finds none; on a registry thread. Often for ids this node never served: the listener ignores those.
     */
    @Override
    public void onGone(Consumer<String> listener) {
        goneListeners.add(listener);
    }

    /** Ids of the apps in use on this node, kept fresh even when nothing looks them up. */
    @Override
    public void keepFresh(Supplier<Collection<String>> ids) {
        if (refresh != null) {
            refresh.keepFresh(ids);
        }
    }

    /** From the change feed: the app (id, key) changed; both null: any may have. */
    void changed(String id, String key) {
        refresh.changed(id, key);
    }

    /** A read of its own, not joined to one in flight, which may have begun before the change. */
    private void readAgain(String id) {
        try {
            lookups.execute(() -> load(id, true));
        } catch (RejectedExecutionException e) {
            // Busy: the app was expired, so its next look-up reads it.
        }
    }

    private void logOnce(String what, String format, Object... args) {
        if (refusedLogged.add(what)) {
            log.warn(format, args);
        }
    }

    // ---------------------------------------------------------------- for /up and /metrics

    /** Whether apps also come from a database. */
    public boolean hasDatabase() {
        return source != null;
    }

    /** False while the database (or, on PostgreSQL, its change feed) cannot be reached. */
    public boolean databaseUp() {
        return source == null || health.reachable();
    }

    /** Database apps cached (fresh or stale). */
    public int cachedApps() {
        return cache.size();
    }

    /** Look-ups answered without the database because it was down. */
    public long unavailableLookups() {
        return source == null ? 0 : health.unavailableLookups();
    }

    /** Look-ups answered as unknown from a remembered miss, without a query. */
    public long missesServed() {
        return source == null ? 0 : guard.missesServed();
    }

    /** Look-ups refused because the client's address used its allowance of queries. */
    public long lookupsRateLimited() {
        return source == null ? 0 : guard.refused();
    }

    @Override
    public void close() {
        if (source == null) {
            return;
        }
        timer.shutdownNow();
        lookups.shutdownNow();
        source.close();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
