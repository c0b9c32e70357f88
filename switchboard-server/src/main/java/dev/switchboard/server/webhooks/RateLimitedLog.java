package dev.switchboard.server.webhooks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * WARN at most once per key per interval, saying how many were suppressed since: a dead receiver must not
 * flood the log. Messages carry no secrets and no payloads.
 */
final class RateLimitedLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Logger log;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log) {
        this.log = log;
    }

    void warn(String key, String message) {
        long now = System.nanoTime();
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long suppressed;
        synchronized (w) {
            if (w.started && now - w.lastLoggedNanos < INTERVAL_NANOS) {
                w.suppressed++;
                return;
            }
            suppressed = w.suppressed;
            w.suppressed = 0;
            w.started = true;
            w.lastLoggedNanos = now;
        }
        if (suppressed > 0) {
            log.warn("{} ({} similar suppressed)", message, suppressed);
        } else {
            log.warn(message);
        }
    }

    private static final class Window {
        boolean started;
        long lastLoggedNanos;
        long suppressed;
    }
}
