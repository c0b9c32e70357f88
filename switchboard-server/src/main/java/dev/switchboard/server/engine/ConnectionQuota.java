package dev.switchboard.server.engine;

import java.util.concurrent.CompletionStage;

/** The connection quota of an app, counted over the cluster (each node's own sockets, summed). */
public interface ConnectionQuota {

    /** Takes a slot under the app's connection quota, counted over the cluster; false when full. max < 0: none. */
    CompletionStage<Boolean> reserveConnection(String appId, int max);

    void releaseConnection(String appId);
}
