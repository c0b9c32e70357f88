package dev.switchboard.server.cluster;

import dev.switchboard.server.engine.Frame;

/** One node, no peers: everything published is delivered here, synchronously. */
public final class LocalAdapter implements Adapter {
    private Delivery local;

    @Override
    public void start(Delivery delivery) {
        this.local = delivery;
    }

    @Override
    public void publish(String appId, String channel, Frame frame, String exceptSocketId) {
        local.deliverToChannel(appId, channel, frame, exceptSocketId);
    }

    @Override
    public void publishToUser(String appId, String userId, Frame frame, String exceptSocketId) {
        local.deliverToUser(appId, userId, frame, exceptSocketId);
    }

    @Override
    public void terminateUser(String appId, String userId) {
        local.terminateUser(appId, userId);
    }

    @Override
    public void close() {}
}
