package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.ChannelWindows;
import dev.switchboard.server.engine.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The one-node {@link ChannelWindows}: one {@link Window} per (app, channel) holding its events and its users'
 * places, every call one step under the window's lock. A window goes once it keeps neither an event nor a place (a
 * sweep, at most once per {@link #SWEEP_MILLIS}, trims the windows nobody touches), so a channel used once costs
 * nothing after its events and notes aged out; a new one then counts from 1 again, which no noted place can
 * confuse, since none is left.
 */
final class LocalChannelWindows implements ChannelWindows {
    static final long SWEEP_MILLIS = 10_000;
    private static final CompletableFuture<Void> TAKEN = CompletableFuture.completedFuture(null);

    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    LocalChannelWindows(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Long> appendAndPublish(String appId, String channel, String event, String data,
                                                  Limits limits, Frame frame, String exceptSocketId, LongConsumer here) {
        long now = clock.getAsLong();
        sweep(now);
        Window[] kept = new Window[1];
        long seq = locked(key(appId, channel), w -> {
            long s = ++w.head;
            w.events.addLast(new Entry(new Kept(s, event, data), now));
            w.keepAge = limits.maxAgeMillis();
            w.trim(now, limits.maxEvents());
            if (here != null) {
                w.unpublished.addLast(new Unpublished(s, here)); // queued in the step that gave the sequence
            }
            kept[0] = w;
            return s;
        });
        if (here != null) {
            kept[0].publishInOrder();
        }
        return CompletableFuture.completedFuture(seq);
    }

    @Override
    public CompletionStage<Replay> after(String appId, String channel, long after, Limits limits) {
        long now = clock.getAsLong();
        Window w = windows.get(key(appId, channel));
        if (w == null) {
            return CompletableFuture.completedFuture(new Replay(List.of(), 0, 0));
        }
        synchronized (w) {
            w.keepAge = limits.maxAgeMillis();
            w.trim(now, limits.maxEvents());
            List<Kept> out = new ArrayList<>();
            long firstKept = w.head + 1;
            for (Entry e : w.events) {
                firstKept = Math.min(firstKept, e.kept.sequence());
                if (e.kept.sequence() > after) {
                    out.add(e.kept);
                }
            }
            long lost = after < w.head ? Math.max(0, firstKept - 1 - after) : 0;
            return CompletableFuture.completedFuture(new Replay(out, lost, w.head));
        }
    }

    @Override
    public CompletionStage<Held> hold(String appId, String channel, String userId, long keepMillis) {
        long now = clock.getAsLong();
        sweep(now);
        String key = key(appId, channel);
        return CompletableFuture.completedFuture(locked(key, w -> {
            long noted = NONE;
            if (userId != null) {
                Place p = w.places.computeIfAbsent(userId, u -> new Place());
                if (p.connections == 0 && p.noted != NONE && p.notedUntil > now) {
                    noted = p.noted;
                }
                p.noted = NONE;
                p.connections++;
            }
            Held held = new Held(noted, w.head);
            w.dropIfIdle(windows, key);
            return held;
        }));
    }

    /** One node: a node killed loses every place with its memory, so there is nothing to record. */
    @Override
    public CompletionStage<Void> taking(String appId, String channel, long sequence) {
        return TAKEN;
    }

    /** Runs {@code step} under the lock of the channel's window, made when missing (and again if it just went). */
    private <T> T locked(String key, java.util.function.Function<Window, T> step) {
        for (;;) {
            Window w = windows.computeIfAbsent(key, k -> new Window());
            synchronized (w) {
                if (!w.dropped) {
                    return step.apply(w);
                }
            }
        }
    }

    @Override
    public CompletionStage<Void> release(String appId, String channel, String userId, long position, boolean lost,
                                         long keepMillis) {
        long now = clock.getAsLong();
        String key = key(appId, channel);
        Window w = windows.get(key);
        if (w == null || userId == null) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (w) {
            Place p = w.places.get(userId);
            if (p != null && p.connections > 0 && --p.connections == 0) {
                if (lost) {
                    p.noted = position;
                    p.notedUntil = now + keepMillis;
                } else {
                    w.places.remove(userId);
                }
            }
            w.dropIfIdle(windows, key);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Trims every window at most once per SWEEP_MILLIS, so those nobody touches any more go too. */
    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_MILLIS;
        for (Map.Entry<String, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            synchronized (w) {
                w.trim(now, Integer.MAX_VALUE);
                w.places.values().removeIf(p -> p.connections == 0 && p.notedUntil <= now);
                w.dropIfIdle(windows, e.getKey());
            }
        }
    }

    private static String key(String appId, String channel) {
        return appId + '\n' + channel;
    }

    private record Entry(Kept kept, long at) {}

    private record Unpublished(long sequence, LongConsumer here) {}

    private static final class Place {
        int connections;
        long noted = NONE;
        long notedUntil;
    }

    /** Guarded by itself. */
    private static final class Window {
        long head;
        /** Taken out of the map: a caller that still found it takes a new one. */
        boolean dropped;
        long keepAge = Long.MAX_VALUE;
        final ArrayDeque<Entry> events = new ArrayDeque<>();
        final Map<String, Place> places = new HashMap<>(4);
        /** Kept, not yet handed to the broker, in sequence order; {@code publishing}: a thread is handing them. */
        final ArrayDeque<Unpublished> unpublished = new ArrayDeque<>(2);
        boolean publishing;

        /**
         * Hands the kept events to the broker in sequence order, outside the lock (the broker may write to a socket
         * on this thread): the thread that finds nobody publishing publishes until none is left, including those
         * that other threads queued meanwhile; those threads return at once.
         */
        void publishInOrder() {
            for (;;) {
                Unpublished next;
                synchronized (this) {
                    if (publishing || unpublished.isEmpty()) {
                        return;
                    }
                    publishing = true;
                    next = unpublished.pollFirst();
                }
                try {
                    next.here().accept(next.sequence());
                } finally {
                    synchronized (this) {
                        publishing = false;
                    }
                }
            }
        }

        void trim(long now, int maxEvents) {
            while (events.size() > maxEvents) {
                events.removeFirst();
            }
            Iterator<Entry> it = events.iterator();
            while (it.hasNext() && now - it.next().at > keepAge) {
                it.remove();
            }
        }

        /** Called under the lock; the window leaves the map only while nothing refers to it. */
        void dropIfIdle(Map<String, Window> windows, String key) {
            if (events.isEmpty() && places.isEmpty() && unpublished.isEmpty() && !publishing) {
                dropped = true;
                windows.remove(key, this);
            }
        }
    }
}
