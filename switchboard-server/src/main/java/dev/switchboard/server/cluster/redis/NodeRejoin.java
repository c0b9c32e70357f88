package dev.switchboard.server.cluster.redis;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a fenced node ({@link NodeFence}) gets back into the cluster, step by step on the heartbeat of its
 * {@link NodeLeases}: it enters the fence when the heartbeat says the cluster declared it dead (or it resigned), and
 * at each later heartbeat checks whether it may rejoin. Called under the leases' monitor only.
 */
final class NodeRejoin {
    private static final Logger log = LoggerFactory.getLogger(NodeLeases.class);

    private final NodeShare share;
    private final NodeMirror mirror;
    private final RedisLink link;
    private final NodeFence fence;
    private final NodeLeases leases;
    private long fencedSince;

    NodeRejoin(NodeShare share, NodeFence fence, NodeLeases leases) {
        this.share = share;
        this.mirror = share.mirror;
        this.link = share.link;
        this.fence = fence;
        this.leases = leases;
    }

    /**
     * The cluster no longer counts this node (it took the node's share out, with the events that follow), so the
     * node's clients hold rosters the others were told are gone, and pub/sub may still hand it what was published
     * about its death. It decides nothing more for its old connections (their leaves are answered from the mirror
     * and reported nowhere), drops what pub/sub brings, holds new connections at the gate and closes every old
     * one with 4200: their clients reconnect at once and rejoin, through the normal path, once it is back.
     */
    void enter(String why) {
        NodeMirror m = mirror;
        synchronized (m) {
            m.fenced = true;
            link.fence("fenced: " + why + "; its clients reconnect and it rejoins as a fresh member");
        }
        fence.enter();
        fencedSince = System.nanoTime();
        log.warn("This node is fenced ({}): closing its connections with 4200 and rejoining", why);
        leases.transitions.reconnectAll();
    }

    /**
     * Rejoins once every old connection is gone (their leaves emptied the mirror; new ones wait at the gate, and a
     * lease is the most it waits for them) and the cluster finished taking the old share out (finishing cleanups
     * whose cleaner is gone meanwhile, its own included when nobody else did).
     */
    void tick() throws Exception {
        boolean drained;
        synchronized (mirror) {
            drained = mirror.isEmpty();
        }
        if (!drained && System.nanoTime() - fencedSince < TimeUnit.MILLISECONDS.toNanos(
                link.settings.nodeTimeoutMillis())) {
            return;
        }
        long sent = System.nanoTime();
        NodeLeases.Beat b = leases.beat("rejoin");
        for (String dead : b.claimed()) {
            log.info(dead.equals(share.node) ? "Node {} (this node, fenced) was not cleaned up; taking its old share "
                    + "out itself" : "Node {} left its cleanup unfinished; finishing it", dead);
            leases.cleanUp(dead);
        }
        if (b.fenced()) {
            return;
        }
        synchronized (mirror) {
            if (!mirror.isEmpty()) {
                log.warn("Old connections still held a share {} ms into the fence; it is discarded",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fencedSince));
            }
            mirror.clear();
            mirror.fenced = false;
        }
        leases.writeBack();
        fence.rejoined(sent);
        log.info("This node rejoined the cluster as a fresh member {} ms after it was fenced",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fencedSince));
    }
}
