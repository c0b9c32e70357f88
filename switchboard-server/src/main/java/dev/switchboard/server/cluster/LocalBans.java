package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.LocalFacts.done;

import dev.switchboard.server.cluster.LocalFacts.App;
import dev.switchboard.server.engine.Bans;
import java.util.concurrent.CompletionStage;

/**
 * The one-node {@link Bans}: each ban written inside the compute of its user, the step in which
 * {@link LocalOnlineUsers} decides that user's sign-ins, so a sign-in is decided either before the ban (and its
 * connection is then indexed for the termination that follows) or after it (and refused).
 */
final class LocalBans implements Bans {
    private final LocalFacts facts;

    LocalBans(LocalFacts facts) {
        this.facts = facts;
    }

    @Override
    public CompletionStage<Long> ban(String appId, String userId, long millis) {
        App app = facts.app(appId);
        long until = facts.clock.getAsLong() + millis;
        app.users.compute(userId, (k, u) -> {
            app.bans.put(k, until);
            return u;
        });
        return done(until);
    }

    @Override
    public CompletionStage<Boolean> lift(String appId, String userId) {
        App app = facts.app(appId);
        boolean[] lifted = new boolean[1];
        app.users.compute(userId, (k, u) -> {
            lifted[0] = app.bannedUntil(k, facts.clock.getAsLong()) > 0;
            app.bans.remove(k);
            return u;
        });
        return done(lifted[0]);
    }

    @Override
    public CompletionStage<Long> bannedUntil(String appId, String userId) {
        App app = facts.app(appId);
        long[] until = new long[1];
        app.users.compute(userId, (k, u) -> {
            until[0] = app.bannedUntil(k, facts.clock.getAsLong());
            return u;
        });
        return done(until[0]);
    }
}
