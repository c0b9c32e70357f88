package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Frame;

/**
 * The one seam between a single node and a cluster. The engine hands it already-encoded frames; the adapter
 * carries them to every node (including this one) and calls {@link Delivery} on each. A local adapter calls
 * straight through; a Redis adapter publishes and delivers what it receives.
 */
public interface Adapter extends AutoCloseable {

    /** Called once, before any other method, with this node's local delivery. */
    void start(Delivery local);

    /** An event for every subscriber of {@code channel} of the app, except the socket {@code exceptSocketId}. */
    void publish(String appId, String channel, Frame frame, String exceptSocketId);

    /** An event for every connection signed in as {@code userId}, except {@code exceptSocketId}. */
    void publishToUser(String appId, String userId, Frame frame, String exceptSocketId);

    /** Close every connection signed in as {@code userId}. */
    void terminateUser(String appId, String userId);

    @Override
    void close();

    /** What a node does with what the adapter carries to it. */
    interface Delivery {
        void deliverToChannel(String appId, String channel, Frame frame, String exceptSocketId);

        void deliverToUser(String appId, String userId, Frame frame, String exceptSocketId);

        void terminateUser(String appId, String userId);
    }
}
