package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.LocalFacts.done;

import dev.switchboard.server.cluster.LocalFacts.App;
import dev.switchboard.server.engine.HeldLeaves;
import java.util.concurrent.CompletionStage;

/**
 * The one-node {@link HeldLeaves}: a hold is confirmed inside the compute of the channel or user it concerns, the
 * one a join or sign-in that cancels it runs in, so the two never both win.
 */
final class LocalHeldLeaves implements HeldLeaves {
    private final LocalFacts facts;

    LocalHeldLeaves(LocalFacts facts) {
        this.facts = facts;
    }

    @Override
    public CompletionStage<Boolean> confirmHeld(String appId, Hold hold, String channel, String userId) {
        App app = facts.app(appId);
        String key = LocalHolds.key(hold, channel, userId);
        boolean[] found = new boolean[1];
        if (hold == Hold.OFFLINE) {
            app.users.compute(userId, (k, u) -> {
                found[0] = app.holds.take(key);
                return u;
            });
        } else {
            app.channels.compute(channel, (k, ch) -> {
                found[0] = app.holds.take(key);
                return ch;
            });
        }
        return done(found[0]);
    }
}
