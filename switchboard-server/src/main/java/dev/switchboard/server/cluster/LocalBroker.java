package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Topic;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One node, no peers: everything published is delivered here, synchronously; interest needs no subscribing. */
public final class LocalBroker implements Broker {
    private static final CompletionStage<Void> READY = CompletableFuture.completedFuture(null);
    private Delivery local;

    @Override
    public void start(Delivery delivery) {
        this.local = delivery;
    }

    @Override
    public void publish(Topic topic, Frame frame, String exceptSocketId) {
        local.deliver(topic, frame, exceptSocketId);
    }

    @Override
    public void terminateUser(String appId, String userId) {
        local.terminateUser(appId, userId);
    }

    @Override
    public void reconnectUser(String appId, String userId) {
        local.reconnectUser(appId, userId);
    }

    @Override
    public CompletionStage<Void> interest(Topic topic, boolean interested) {
        return READY;
    }

    @Override
    public void close() {}
}
