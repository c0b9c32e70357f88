package dev.switchboard.server.webhooks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * At most one cache_miss webhook per (app, channel) per window: Pusher de-duplicates them when many clients
 * hit the same empty cache channel (PROTOCOL.md §2.8). Entries older than the window are swept once per
 * window, so memory follows the channels missed recently. Webhook thread only.
 */
final class CacheMissFilter {
    private record Key(String appId, String channel) {}

    private final long windowNanos;
    private final Map<Key, Long> lastSent = new HashMap<>();
    private long lastSweepNanos = System.nanoTime();

    CacheMissFilter(long windowMillis) {
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    }

    boolean allow(String appId, String channel) {
        long now = System.nanoTime();
        if (now - lastSweepNanos >= windowNanos) {
            lastSent.values().removeIf(t -> now - t >= windowNanos);
            lastSweepNanos = now;
        }
        Key key = new Key(appId, channel);
        Long last = lastSent.get(key);
        if (last != null && now - last < windowNanos) {
            return false;
        }
        lastSent.put(key, now);
        return true;
    }
}
