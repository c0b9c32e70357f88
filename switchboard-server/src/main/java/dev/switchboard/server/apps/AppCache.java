package dev.switchboard.server.apps;

import dev.switchboard.server.config.AppConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The database apps as last read, by id and by key, each with the moment it expires ({@link System#nanoTime()}
 * terms). An expired entry still answers while the database is down (stale beats unknown); storing an app
 * that differs from the one held tells the {@link #onChange} listeners, so the engine swaps its config.
 * Kept apart from {@link AppRegistry} so that the registry is only about when to read, and this only about
 * what was read.
 */
final class AppCache {
    /** A database app as last read. */
    private record Entry(AppConfig app, long expiresAt) {}

    private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
    private final List<Consumer<AppConfig>> listeners = new CopyOnWriteArrayList<>();

    void onChange(Consumer<AppConfig> listener) {
        listeners.add(listener);
    }

    /** The app under this id or key, fresh or not; null when none is held. */
    AppConfig any(String name, boolean isId) {
        Entry e = map(isId).get(name);
        return e == null ? null : e.app;
    }

    /** The app under this id or key when its entry has not expired at {@code now}; null otherwise. */
    AppConfig fresh(String name, boolean isId, long now) {
        Entry e = map(isId).get(name);
        return e != null && now - e.expiresAt < 0 ? e.app : null;
    }

    /** The apps read at start-up, without telling the listeners: nothing runs on them yet. */
    void warm(List<AppConfig> apps, long expires) {
        for (AppConfig a : apps) {
            Entry e = new Entry(a, expires);
            byId.put(a.id(), e);
            byKey.put(a.key(), e);
        }
    }

    /**
     * What one read found under {@code name}: the app, kept until {@code expires}, or none (deleted or refused),
     * forgotten under both its names so that neither the id nor the key finds it.
     */
    void store(String name, boolean isId, AppConfig app, long expires) {
        if (app == null) {
            Entry old = map(isId).remove(name);
            if (old != null && old.app != null) {
                map(!isId).remove(isId ? old.app.key() : old.app.id());
            }
            return;
        }
        Entry e = new Entry(app, expires);
        Entry previous = byId.put(app.id(), e);
        byKey.put(app.key(), e);
        if (previous != null && previous.app != null && !previous.app.key().equals(app.key())) {
            // The key was changed: the old key no longer names this app.
            byKey.remove(previous.app.key(), previous);
        }
        if (previous == null || !app.equals(previous.app)) {
            for (Consumer<AppConfig> l : listeners) {
                l.accept(app);
            }
        }
    }

    /** Marks the entries under this id and key (either may be null) expired, so their next look-up reads them. */
    void expire(String id, String key, long now) {
        expire(byId, id, now);
        expire(byKey, key, now);
    }

    void expireAll(long now) {
        byId.replaceAll((k, e) -> new Entry(e.app, now));
        byKey.replaceAll((k, e) -> new Entry(e.app, now));
    }

    /** Database apps held (fresh or stale). */
    int size() {
        return byId.size();
    }

    private static void expire(Map<String, Entry> map, String name, long now) {
        if (name != null) {
            map.computeIfPresent(name, (k, e) -> new Entry(e.app, now));
        }
    }

    private Map<String, Entry> map(boolean isId) {
        return isId ? byId : byKey;
    }
}
