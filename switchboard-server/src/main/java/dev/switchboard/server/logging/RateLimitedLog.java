package dev.switchboard.server.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * WARN (or ERROR) at most once per key per interval (30 s), saying how many were suppressed since: what a remote
 * client, a dead webhook receiver or a bad network can cause once per connection, request, frame or retry must not
 * flood the log. The first occurrence is logged at once; repeats within the interval are only counted, and the
 * next one after it carries "(N similar suppressed)". Messages use SLF4J's {@code {}} placeholders and are only
 * formatted when logged; a trailing {@link Throwable} argument is logged with its stack trace.
 *
 * <p><b>Keys must be fixed strings chosen by the call site</b> ("http-api-unavailable"), or built only from
 * configuration (a webhook target's label) — never from what a client sent (a channel name, an address, a path):
 * each key holds an entry for the life of the process. As a backstop the map holds at most {@link #MAX_KEYS}
 * keys; past that, new keys share one window, so they are still rate-limited, only together. Messages carry no
 * secrets and no payloads, and quote client-supplied names only through {@code Names.quote}.
 */
public final class RateLimitedLog {
    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final int MAX_KEYS = 1024;
    private static final String OVERFLOW_KEY = "\u0000overflow";

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log) {
        this(log, DEFAULT_INTERVAL_NANOS, System::nanoTime);
    }

    /** With the interval and the clock given (tests drive a fake clock instead of sleeping). */
    RateLimitedLog(Logger log, long intervalNanos, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    /** A WARN, unless one with this key was logged within the interval. */
    public void warn(String key, String format, Object... args) {
        log(Level.WARN, key, format, args);
    }

    /** An ERROR (a bug to see, that a client might still trigger repeatedly), rate-limited like {@link #warn}. */
    public void error(String key, String format, Object... args) {
        log(Level.ERROR, key, format, args);
    }

    private void log(Level level, String key, String format, Object[] args) {
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        long suppressed = admit(key);
        if (suppressed < 0) {
            return;
        }
        FormattingTuple t = MessageFormatter.arrayFormat(format, args);
        String message = suppressed > 0 ? t.getMessage() + " (" + suppressed + " similar suppressed)" : t.getMessage();
        // The formatted message is passed as a plain message: braces a name may contain are not placeholders.
        if (t.getThrowable() != null) {
            log.atLevel(level).setCause(t.getThrowable()).log(message);
        } else {
            log.atLevel(level).log(message);
        }
    }

    /** How many were suppressed since the last one logged, when this one is to be logged; else -1. */
    private long admit(String key) {
        long now = nanoTime.getAsLong();
        Window w = windows.get(key);
        if (w == null) {
            w = windows.size() < MAX_KEYS ? windows.computeIfAbsent(key, k -> new Window())
                    : windows.computeIfAbsent(OVERFLOW_KEY, k -> new Window());
        }
        synchronized (w) {
            if (w.started && now - w.lastLoggedNanos < intervalNanos) {
                w.suppressed++;
                return -1;
            }
            long suppressed = w.suppressed;
            w.suppressed = 0;
            w.started = true;
            w.lastLoggedNanos = now;
            return suppressed;
        }
    }

    /** Keys held, for tests of the bound. */
    int keys() {
        return windows.size();
    }

    private static final class Window {
        boolean started;
        long lastLoggedNanos;
        long suppressed;
    }
}
