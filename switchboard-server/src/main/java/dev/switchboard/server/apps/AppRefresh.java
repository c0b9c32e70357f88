package dev.switchboard.server.apps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * When the registry reads a database app again: on a change notification (at once, and any read already under
 * way is stored as expired, see {@link #generation}), every second for the apps in use whose entry expired (so a
 * disabling or deletion reaches their connections within the TTL even on MySQL, which has no NOTIFY), and a ping
 * when nothing was read for a TTL or while the database is down, so that /up tells the truth. {@link AppRegistry}
 * owns how a read is done; this class owns only its timing.
 */
final class AppRefresh {
    /** While the database is down, how often it is tried again. */
    static final long DOWN_PROBE_MILLIS = 1000;

    private final AppCache cache;
    private final LookupGuard guard;
    private final DatabaseHealth health;
    private final Predicate<String> fixedId;
    /** A read of its own, not joined to one in flight (which may have begun before the change). */
    private final Consumer<String> readAgain;
    /** A look-up as any caller's, joining one in flight. */
    private final Consumer<String> lookUp;
    private final long ttlNanos;
    /** Bumped on every change notification: a read that began before it is stored as already expired. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Supplier<Collection<String>> activeIds = List::of;
    /** When {@link #refreshActive} last read an app, in {@link System#nanoTime()} terms. */
    private volatile long lastRead = System.nanoTime();

    AppRefresh(AppCache cache, LookupGuard guard, DatabaseHealth health, Predicate<String> fixedId,
            Consumer<String> readAgain, Consumer<String> lookUp, long ttlNanos) {
        this.cache = cache;
        this.guard = guard;
        this.health = health;
        this.fixedId = fixedId;
        this.readAgain = readAgain;
        this.lookUp = lookUp;
        this.ttlNanos = ttlNanos;
    }

    void schedule(ScheduledExecutorService timer, long ttlSeconds) {
        long tick = Math.max(1, Math.min(ttlSeconds, 30));
        timer.scheduleWithFixedDelay(this::checkWhenIdle, tick, tick, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::refreshActive, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(guard::sweep, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::probeWhileDown, DOWN_PROBE_MILLIS, DOWN_PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The change count a read notes when it begins; unchanged at its end means its answer is current. */
    long generation() {
        return generation.get();
    }

    void keepFresh(Supplier<Collection<String>> ids) {
        activeIds = ids;
    }

    /** From the change feed: the app (id, key) changed; both null: any may have. */
    void changed(String id, String key) {
        generation.incrementAndGet();
        List<String> refresh = new ArrayList<>();
        if (id == null && key == null) {
            cache.expireAll(System.nanoTime());
            guard.forgetAll();
            refresh.addAll(activeIds.get());
        } else {
            cache.expire(id, key, System.nanoTime());
            guard.forget(id, key);
            if (id != null) {
                refresh.add(id);
            }
        }
        for (String r : refresh) {
            readAgain.accept(r);
        }
    }

    /**
     * Every second: re-read the apps in use whose entry expired (or was dropped by a look-up by a key that no
     * longer exists), so their engines see a change, a disabling or a deletion within the TTL.
     */
    private void refreshActive() {
        if (!health.up()) {
            return;
        }
        long now = System.nanoTime();
        for (String id : activeIds.get()) {
            if (!fixedId.test(id) && cache.fresh(id, true, now) == null) {
                lastRead = now;
                lookUp.accept(id);
            }
        }
    }

    /** Every TTL (at most 30 s): a ping when nothing was read meanwhile, so /up notices a database gone away. */
    private void checkWhenIdle() {
        if (health.up() && System.nanoTime() - lastRead >= ttlNanos) {
            health.check();
        }
    }

    private void probeWhileDown() {
        if (!health.up()) {
            health.check();
        }
    }
}
