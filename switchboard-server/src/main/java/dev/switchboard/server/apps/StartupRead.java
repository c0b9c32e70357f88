package dev.switchboard.server.apps;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.AppConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The database's apps as read once when the node starts: patient with a pool still connecting, strict on clashes. */
final class StartupRead {
    private static final Logger log = LoggerFactory.getLogger(AppRegistry.class);
    /** Tries of the first read at start-up. */
    static final int START_ATTEMPTS = 5;

    private StartupRead() {}

    /**
     * The first read gets {@link #START_ATTEMPTS} tries, a look-up's timeout each: the pool is still making its
     * first connection, and a node starting on a busy machine should not give up on the first slow answer.
     */
    static List<AppConfig> read(ServerConfig config, AppSource source, Runnable migrate) {
        for (int attempt = 1; ; attempt++) {
            try {
                migrate.run();
                return source.all();
            } catch (AppSource.Unavailable e) {
                if (attempt >= START_ATTEMPTS) {
                    throw new IllegalStateException("Cannot read apps from " + source.describe() + ": " + e.getMessage()
                            + (config.appsMigrate() ? "" : " (to create the table, start once with --apps-migrate)"));
                }
                log.info("Apps database {} not answering yet ({}); trying again", source.describe(), e.getMessage());
                try {
                    TimeUnit.MILLISECONDS.sleep(AppRefresh.DOWN_PROBE_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for " + source.describe());
                }
            }
        }
    }

    /** Every stored app that has a config app's id or key, said in one line; null when none has. */
    static String clashes(List<AppConfig> stored, Function<AppConfig, String> clash) {
        List<String> found = new ArrayList<>();
        for (AppConfig a : stored) {
            String c = clash.apply(a);
            if (c != null) {
                found.add(c);
            }
        }
        return found.isEmpty() ? null : String.join("; ", found);
    }
}
