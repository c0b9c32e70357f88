package dev.switchboard.server.engine;

/** The last event published to a cache channel through the HTTP API (PROTOCOL.md §2.8). */
public record CachedEvent(String event, String data, long expiresAtMillis) {
    public long ttlSeconds(long nowMillis) {
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }
}
