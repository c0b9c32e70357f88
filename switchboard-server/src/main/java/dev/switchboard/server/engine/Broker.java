package dev.switchboard.server.engine;

import java.util.concurrent.CompletionStage;

/**
 * The message half of the cluster seam: carries already-encoded frames to every node that is interested in a
 * topic, this one included. The one-node implementation calls {@link Delivery} straight through; a Redis one
 * delivers to this node at once and publishes for the others, which deliver what they receive without decoding
 * it. Every method returns at once (it may queue); none blocks or throws on an outage.
 */
public interface Broker extends AutoCloseable {

    /** Called once, before any other method, with this node's local delivery. */
    void start(Delivery local);

    /** The frame for every local listener of the topic on every node, except the socket {@code exceptSocketId}. */
    void publish(Topic topic, Frame frame, String exceptSocketId);

    /** Close every connection signed in as {@code userId}, on every node. */
    void terminateUser(String appId, String userId);

    /** Close every connection signed in as {@code userId}, on every node, so that its clients reconnect at once. */
    void reconnectUser(String appId, String userId);

    /**
     * This node now has ({@code true}) or no longer has local listeners for the topic. Calls for one topic come in
     * the order of the changes (the engine makes them under its per-topic lock), so an implementation may act on
     * them in order. The stage completes once frames published for the topic anywhere from then on will reach
     * this node; the engine waits for it before confirming a subscription.
     */
    CompletionStage<Void> interest(Topic topic, boolean interested);

    @Override
    void close();

    /** What a node does with what the broker carries to it. Called on any thread; must not block. */
    interface Delivery {
        void deliver(Topic topic, Frame frame, String exceptSocketId);

        void terminateUser(String appId, String userId);

        void reconnectUser(String appId, String userId);
    }
}
