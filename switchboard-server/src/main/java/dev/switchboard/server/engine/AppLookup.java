package dev.switchboard.server.engine;

import dev.switchboard.server.config.AppConfig;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the engine needs of the apps this node serves: look-ups by id and by key, and word of an app that changed
 * or went. {@code apps.AppRegistry} implements it (the config's apps, and a database's); the engine never names
 * the registry, so it does not depend on how apps are stored.
 */
public interface AppLookup {

    /** The app, known now (fixed, or cached even if stale); null when not. Never blocks. */
    AppConfig cachedById(String id);

    /** As {@link #cachedById}, by the key clients connect with. */
    AppConfig cachedByKey(String key);

    /**
     * The app with this id as of at most the cache's TTL ago; null when there is none. Completes at once when
     * cached. {@code clientAddress}: the client whose request causes a read, bounded per address (null: the server
     * itself asks). May fail with {@link Overloaded} or {@link TooManyLookups}.
     */
    CompletableFuture<AppConfig> byId(String id, String clientAddress);

    /** As {@link #byId}, by key. */
    CompletableFuture<AppConfig> byKey(String key, String clientAddress);

    /** Called with each app whose settings changed (disabled, secret rotated...); on the lookup's own thread. */
    void onChange(Consumer<AppConfig> listener);

    /** Called with the id of each app no longer known (often one this node never served); on the lookup's thread. */
    void onGone(Consumer<String> listener);

    /** Ids of the apps in use on this node, kept fresh even when nothing looks them up. */
    void keepFresh(Supplier<Collection<String>> ids);

    /** No reader is free and the queue is full: the caller answers "over capacity". */
    final class Overloaded extends RuntimeException {
        public Overloaded() {
            super("Apps database look-ups are over capacity", null, false, false);
        }
    }

    /**
     * The client's address has used its {@code max_apps_db_lookups_per_ip_per_second}: the caller answers "over
     * capacity" (4100) or 429, after {@link #retryAfterNanos}.
     */
    final class TooManyLookups extends RuntimeException {
        private final long retryAfterNanos;
        private final int rate;

        public TooManyLookups(long retryAfterNanos, int rate) {
            super("Too many app look-ups from this address (limit " + rate + " per second)", null, false, false);
            this.retryAfterNanos = retryAfterNanos;
            this.rate = rate;
        }

        public long retryAfterNanos() {
            return retryAfterNanos;
        }

        public int rate() {
            return rate;
        }
    }
}
