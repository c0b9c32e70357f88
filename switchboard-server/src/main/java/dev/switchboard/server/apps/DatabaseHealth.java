package dev.switchboard.server.apps;

import dev.switchboard.server.logging.RateLimitedLog;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the apps database can be reached, as {@code /up} and {@code /metrics} report it: learnt from every
 * look-up's outcome, from a check while it is down, and on PostgreSQL from the change feed. Each change of
 * state is logged once, not once per failed call; coming back up runs {@code onBackUp} (what changed meanwhile
 * was not notified).
 */
final class DatabaseHealth {
    private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);
    /** The check repeats while the database is down; one that keeps failing oddly must not fill the log. */
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log);

    private final AppSource source;
    private final Runnable onBackUp;
    private final LongAdder unavailableLookups = new LongAdder();
    private volatile boolean up = true;
    private volatile boolean feedUp = true;

    DatabaseHealth(AppSource source, Runnable onBackUp) {
        this.source = source;
        this.onBackUp = onBackUp;
    }

    /** Whether queries reach the database (the pool's view; look-ups skip it while false). */
    boolean up() {
        return up;
    }

    /** The pool's view and, where there is one, the change feed's. */
    boolean reachable() {
        return up && feedUp;
    }

    void feed(boolean connected) {
        feedUp = connected;
    }

    void succeeded() {
        if (!up) {
            up = true;
            log.info("Apps database {} is reachable again", source.describe());
            onBackUp.run();
        }
    }

    void failed(AppSource.Unavailable e) {
        if (up) {
            up = false;
            log.warn("Apps database unreachable, cached apps keep serving, unknown ones are refused: {}", e.getMessage());
        }
    }

    /** A look-up answered without the database (from the cache, or as unknown) because it was down. */
    void countUnavailable() {
        unavailableLookups.increment();
    }

    long unavailableLookups() {
        return unavailableLookups.sum();
    }

    /** Asks the database; on the registry's timer thread. */
    void check() {
        try {
            source.ping();
            succeeded();
        } catch (AppSource.Unavailable e) {
            failed(e);
        } catch (RuntimeException e) {
            limitedLog.warn("check-failed", "Apps database check failed", e);
        }
    }
}
