package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.LocalFacts.done;

import dev.switchboard.server.engine.ConnectionQuota;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** The one-node {@link ConnectionQuota}: each app's connections of this process, one counter. */
final class LocalQuota implements ConnectionQuota {
    private final LocalFacts facts;

    LocalQuota(LocalFacts facts) {
        this.facts = facts;
    }

    @Override
    public CompletionStage<Boolean> reserveConnection(String appId, int max) {
        AtomicInteger n = facts.app(appId).connections;
        int now = n.incrementAndGet();
        if (max >= 0 && now > max) {
            n.decrementAndGet();
            return done(false);
        }
        return done(true);
    }

    @Override
    public void releaseConnection(String appId) {
        facts.app(appId).connections.decrementAndGet();
    }
}
