package dev.switchboard.server.engine;

/**
 * What the edge needs from the engine for WebSockets, the port the other way from {@link Peer}: open a session for
 * an app key over a peer. {@link EngineSessions} implements it over {@link Engine#connect}; the edge knows only this.
 */
@FunctionalInterface
public interface Sessions {

    /**
     * Called on {@code peer.executor()}. {@code origin} is the upgrade's {@code Origin} header (null: none), to be
     * checked against the app's allowed_origins once the app is known; {@code clientAddress} the client's address
     * as the connection limits count it (null: not known). Null after the peer was closed (unknown key, disabled,
     * quota, origin not allowed, too many app look-ups).
     */
    Session open(String appKey, String origin, String clientAddress, Peer peer);

    /** One socket's protocol state. Both methods run on the peer's executor. */
    interface Session {
        void onText(String text);

        /** Called exactly once, when the socket has closed. */
        void onClose();

        /** The edge closed the socket with 4101 because it stopped reading (for counting). */
        default void onSlowConsumer() {}
    }
}
