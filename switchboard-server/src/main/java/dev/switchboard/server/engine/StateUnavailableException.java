package dev.switchboard.server.engine;

/**
 * A {@link SharedState} query that cannot be answered because the shared store is unreachable; the HTTP API
 * answers it with a 503. Writes never fail this way (they fall back to this node's own state).
 */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message) {
        super(message, null, false, false);
    }
}
