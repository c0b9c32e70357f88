package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.cluster.Adapter;
import dev.switchboard.server.config.ServerConfig;
import java.util.Collection;

/** SKELETON — being implemented on main; signatures are the contract. */
public final class Engine implements Adapter.Delivery {
    public Engine(ServerConfig config, Adapter adapter, EngineListener listener) { throw new UnsupportedOperationException(); }

    public ServerConfig config() { throw new UnsupportedOperationException(); }

    /** Null when no app has this key. */
    public AppEngine appByKey(String key) { throw new UnsupportedOperationException(); }

    /** Null when no app has this id. */
    public AppEngine appById(String id) { throw new UnsupportedOperationException(); }

    public Collection<AppEngine> apps() { throw new UnsupportedOperationException(); }

    /**
     * A new socket for the app with this key; call on peer.executor(). Sends connection_established.
     * Returns null after closing the peer with 4001 (unknown key), 4003 (disabled) or 4004 (over quota).
     */
    public Connection connect(String appKey, Peer peer) { throw new UnsupportedOperationException(); }

    /** Closes every connection with the code (4200 on graceful shutdown). */
    public void closeAll(CloseCode code, String message) { throw new UnsupportedOperationException(); }

    public int connectionCount() { throw new UnsupportedOperationException(); }

    @Override
    public void deliverToChannel(String appId, String channel, Frame frame, String exceptSocketId) { throw new UnsupportedOperationException(); }

    @Override
    public void deliverToUser(String appId, String userId, Frame frame, String exceptSocketId) { throw new UnsupportedOperationException(); }

    @Override
    public void terminateUser(String appId, String userId) { throw new UnsupportedOperationException(); }
}
