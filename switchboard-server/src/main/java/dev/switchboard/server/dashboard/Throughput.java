package dev.switchboard.server.dashboard;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.engine.EngineEvent;
import dev.switchboard.server.engine.EngineListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages in (frames from clients) and out (frames written to sockets) per app, sampled once a second into a
 * ring of the last {@link #SECONDS} seconds for the dashboard's chart. The hot path is one map lookup and one
 * adder increment; the ring is touched by the sampling thread and by readers under the ring's lock.
 */
final class Throughput implements EngineListener {
    /** Five minutes: what the chart shows. */
    static final int SECONDS = 300;

    /** By app id; an app appears with its first message (apps can come from a database at run time). */
    private final Map<String, AppCounts> apps = new ConcurrentHashMap<>();

    @Override
    public void on(EngineEvent e) {
        if (e instanceof EngineEvent.MessageIn) {
            counts(e.app().id()).in.increment();
        }
    }

    @Override
    public void delivered(AppConfig app, int recipients, int bytes) {
        counts(app.id()).out.add(recipients);
    }

    private AppCounts counts(String appId) {
        AppCounts c = apps.get(appId);
        return c != null ? c : apps.computeIfAbsent(appId, k -> new AppCounts());
    }

    /** Closes the current second of every app; called once a second by the dashboard's thread. */
    void tick() {
        for (AppCounts c : apps.values()) {
            c.sample(c.in.sumThenReset(), c.out.sumThenReset());
        }
    }

    /** The app's samples, oldest first; empty for an unknown app. */
    Series series(String appId) {
        AppCounts c = apps.get(appId);
        return c == null ? new Series(new long[0], new long[0]) : c.series();
    }

    /** The app's last closed second: {in, out}. */
    long[] latest(String appId) {
        AppCounts c = apps.get(appId);
        return c == null ? new long[] {0, 0} : c.latest();
    }

    /** Messages per second, oldest first, equally long. */
    record Series(long[] in, long[] out) {}

    private static final class AppCounts {
        final LongAdder in = new LongAdder();
        final LongAdder out = new LongAdder();
        private final long[] ringIn = new long[SECONDS];
        private final long[] ringOut = new long[SECONDS];
        private int next;
        private int filled;

        synchronized void sample(long messagesIn, long messagesOut) {
            ringIn[next] = messagesIn;
            ringOut[next] = messagesOut;
            next = (next + 1) % SECONDS;
            filled = Math.min(SECONDS, filled + 1);
        }

        synchronized Series series() {
            long[] a = new long[filled];
            long[] b = new long[filled];
            int start = (next - filled + SECONDS) % SECONDS;
            for (int i = 0; i < filled; i++) {
                a[i] = ringIn[(start + i) % SECONDS];
                b[i] = ringOut[(start + i) % SECONDS];
            }
            return new Series(a, b);
        }

        synchronized long[] latest() {
            if (filled == 0) {
                return new long[] {0, 0};
            }
            int last = (next - 1 + SECONDS) % SECONDS;
            return new long[] {ringIn[last], ringOut[last]};
        }
    }
}
