package dev.switchboard.server.apps;

import dev.switchboard.server.config.AppConfig;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Apps kept outside the config, which may change at any time. Every method may block on the network: the
 * {@link AppRegistry} calls them on its own threads only. A failure to reach the store is an
 * {@link Unavailable}; a row that cannot be an app is a {@code ConfigException} naming it.
 */
public interface AppSource extends AutoCloseable {

    /** Null when no app has this id. */
    AppConfig byId(String id);

    /** Null when no app has this key. */
    AppConfig byKey(String key);

    List<AppConfig> all();

    /** Throws {@link Unavailable} when the store cannot be reached. */
    void ping();

    /**
     * Starts telling {@code changed} the (id, key) of each app changed, both null when anything may have
     * changed (the feed was down for a while, or the table was truncated); {@code feedUp} says whether the
     * feed is connected. Sources without a change feed do nothing: the registry's TTL alone applies.
     */
    default void watch(BiConsumer<String, String> changed, java.util.function.Consumer<Boolean> feedUp) {}

    /** Whether {@link #watch} reports changes (else the TTL alone applies them). */
    default boolean hasChangeFeed() {
        return false;
    }

    /** What logs and errors call the store: no password. */
    String describe();

    @Override
    void close();

    /** The store could not be reached or failed; the message holds no secret. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
