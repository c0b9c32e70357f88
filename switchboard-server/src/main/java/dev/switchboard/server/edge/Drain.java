package dev.switchboard.server.edge;

/**
 * Whether the node has begun its graceful shutdown: from then on {@code /up} answers 503, new upgrades are refused
 * with 503 and HTTP connections close after their answer. Set once, read on every event loop.
 */
final class Drain {
    private volatile boolean begun;
    /** The start-up warm-up is running (startup_warmup_clients): {@code /up} answers 503 too, sockets are served. */
    private volatile boolean warming;

    void warming(boolean on) {
        warming = on;
    }

    boolean warming() {
        return warming;
    }

    void begin() {
        begun = true;
    }

    boolean begun() {
        return begun;
    }
}
