package dev.switchboard.server.cluster.redis;

import static dev.switchboard.server.cluster.redis.Replies.flag;
import static dev.switchboard.server.cluster.redis.Replies.list;

import dev.switchboard.server.engine.ConnectionQuota;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An app's connection quota in Redis: a hash of each node's count on the app's slot, a slot taken by reserve.lua
 * against the sum. A node fenced by the cluster holds new connections at the {@link NodeFence}'s gate until it has
 * rejoined, so they are counted in its new share.
 */
final class RedisQuota implements ConnectionQuota {
    private final NodeShare share;
    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;
    private final NodeMirror mirror;
    private final NodeFence fence;

    RedisQuota(NodeShare share, NodeFence fence) {
        this.share = share;
        this.link = share.link;
        this.keys = share.keys;
        this.node = share.node;
        this.mirror = share.mirror;
        this.fence = fence;
    }

    @Override
    public CompletionStage<Boolean> reserveConnection(String appId, int max) {
        CompletableFuture<Void> gate = fence.gate();
        if (!gate.isDone()) {
            // fenced: the connection waits until this node has rejoined, then joins the normal way
            return gate.thenCompose(v -> reserveConnection(appId, max));
        }
        CompletableFuture<Object> sent;
        synchronized (mirror) {
            if (!mirror.reserve(appId, max)) {
                return CompletableFuture.completedFuture(false);
            }
            share.indexApp(appId);
            if (!link.isUp()) {
                share.dirty();
                return CompletableFuture.completedFuture(true);
            }
            sent = link.eval(Script.RESERVE, new String[] {keys.appConns(appId)}, node, Integer.toString(max));
        }
        return sent.handle((r, err) -> {
            if (err != null) {
                share.failed(err);
                return true;
            }
            if (flag(list(r).get(0))) {
                return true;
            }
            synchronized (mirror) {
                mirror.release(appId);
            }
            return false;
        });
    }

    @Override
    public void releaseConnection(String appId) {
        synchronized (mirror) {
            mirror.release(appId);
            share.send(Script.RELEASE, new String[] {keys.appConns(appId)}, node);
        }
    }
}
