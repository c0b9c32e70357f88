package dev.switchboard.server.edge;

import dev.switchboard.server.engine.Peer;

/**
 * What the edge needs from the engine for WebSockets: open a session for an app key over a peer. Switchboard
 * adapts {@link dev.switchboard.server.engine.Engine#connect}; tests may plug in fakes.
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
