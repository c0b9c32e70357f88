package dev.switchboard.server.dashboard;

import dev.switchboard.server.edge.StreamSink;
import dev.switchboard.server.engine.EngineEvent;
import dev.switchboard.server.engine.EngineListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The debug console's tap: every event that passes ({@link EngineEvent.EventPublished}) goes to the open
 * consoles of its app. With no console open the cost is one map lookup and an emptiness check; with one, each
 * console takes at most {@code perSecond} events a second and counts the rest as skipped, so a busy app cannot
 * grow a console's queue without bound. Listener calls come from event loops and the webhook thread; the
 * dashboard's own thread drains the queues.
 */
final class ConsoleFeed implements EngineListener {
    /** By app id, made when a console of the app first opens. */
    private final Map<String, Set<Console>> consoles = new ConcurrentHashMap<>();
    private final int perSecond;

    ConsoleFeed(int perSecond) {
        this.perSecond = perSecond;
    }

    @Override
    public void on(EngineEvent event) {
        if (!(event instanceof EngineEvent.EventPublished p)) {
            return;
        }
        Set<Console> open = consoles.get(p.app().id());
        if (open == null || open.isEmpty()) {
            return;
        }
        Passed e = new Passed(System.currentTimeMillis(), p.channel(), p.event(), p.bytes(), p.origin());
        for (Console c : open) {
            c.offer(e);
        }
    }

    Console open(String appId, StreamSink sink) {
        Console c = new Console(appId, sink, perSecond);
        consoles.computeIfAbsent(appId, k -> new CopyOnWriteArraySet<>()).add(c);
        return c;
    }

    void remove(Console c) {
        Set<Console> open = consoles.get(c.appId);
        if (open != null) {
            open.remove(c);
        }
    }

    /** Every open console, app by app. */
    List<Console> all() {
        List<Console> out = new ArrayList<>();
        for (Set<Console> s : consoles.values()) {
            out.addAll(s);
        }
        return out;
    }

    /** One event as the console shows it. */
    record Passed(long timeMillis, String channel, String event, int bytes, EngineEvent.Origin origin) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time_ms", timeMillis);
            m.put("channel", channel);
            m.put("event", event);
            m.put("bytes", bytes);
            m.put("origin", origin.name().toLowerCase(java.util.Locale.ROOT));
            return m;
        }
    }

    /** One open console stream: its queue, this second's budget, and what it skipped. */
    static final class Console {
        final String appId;
        final StreamSink sink;
        private final int perSecond;
        private final ConcurrentLinkedQueue<Passed> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger takenThisSecond = new AtomicInteger();
        private final AtomicLong skipped = new AtomicLong();

        Console(String appId, StreamSink sink, int perSecond) {
            this.appId = appId;
            this.sink = sink;
            this.perSecond = perSecond;
        }

        void offer(Passed e) {
            if (takenThisSecond.incrementAndGet() > perSecond) {
                skipped.incrementAndGet();
                return;
            }
            queue.offer(e);
        }

        /** A new second: a new budget. */
        void newSecond() {
            takenThisSecond.set(0);
        }

        /** What arrived since the last drain, oldest first. */
        List<Map<String, Object>> drain() {
            List<Map<String, Object>> out = new ArrayList<>();
            Passed e;
            while ((e = queue.poll()) != null) {
                out.add(e.json());
            }
            return out;
        }

        /** Events skipped since the last call. */
        long takeSkipped() {
            return skipped.getAndSet(0);
        }
    }
}
