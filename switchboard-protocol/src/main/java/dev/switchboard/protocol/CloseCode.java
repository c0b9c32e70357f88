package dev.switchboard.protocol;

/**
 * Every error and close code Switchboard sends, with the reaction the official clients give it
 * (PROTOCOL.md §1.5). Codes of 4300 and above travel only inside a {@code pusher:error}: pusher-js
 * treats an unknown 43xx close code as fatal, so {@link #canClose()} is false for them.
 */
public enum CloseCode {
    TLS_ONLY(4000, "Application only accepts SSL connections", Reconnect.NEVER),
    APP_NOT_FOUND(4001, "Application does not exist", Reconnect.NEVER),
    APP_DISABLED(4003, "Application disabled", Reconnect.NEVER),
    OVER_CONNECTION_QUOTA(4004, "Application is over connection quota", Reconnect.NEVER),
    PATH_NOT_FOUND(4005, "Path not found", Reconnect.NEVER),
    INVALID_VERSION(4006, "Invalid version string format", Reconnect.NEVER),
    UNSUPPORTED_PROTOCOL(4007, "Unsupported protocol version", Reconnect.NEVER),
    NO_PROTOCOL(4008, "No protocol version supplied", Reconnect.NEVER),
    UNAUTHORIZED(4009, "Connection is unauthorized", Reconnect.NEVER),
    OVER_CAPACITY(4100, "Over capacity", Reconnect.BACKOFF),
    SLOW_CONSUMER(4101, "Client is not reading fast enough", Reconnect.BACKOFF),
    MESSAGE_TOO_LARGE(4102, "Message is too large", Reconnect.BACKOFF),
    RECONNECT(4200, "Server is restarting; reconnect", Reconnect.IMMEDIATELY),
    PONG_NOT_RECEIVED(4201, "Pong reply not received", Reconnect.IMMEDIATELY),
    CLIENT_EVENT_REJECTED(4301, "Client event rejected due to rate limit", Reconnect.ERROR_ONLY),
    WATCHLIST_LIMIT(4302, "Watchlist limit exceeded", Reconnect.ERROR_ONLY);

    /** What the official clients do when they receive the code (as a close code, or in the handshake). */
    public enum Reconnect { NEVER, BACKOFF, IMMEDIATELY, ERROR_ONLY }

    private final int code;
    private final String text;
    private final Reconnect reconnect;

    CloseCode(int code, String text, Reconnect reconnect) {
        this.code = code;
        this.text = text;
        this.reconnect = reconnect;
    }

    public int code() { return code; }

    public String text() { return text; }

    public Reconnect reconnect() { return reconnect; }

    /** Whether the code may be used on a WebSocket close frame (43xx may not: pusher-js gives up for good). */
    public boolean canClose() { return reconnect != Reconnect.ERROR_ONLY; }
}
