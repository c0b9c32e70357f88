package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.LocalFacts.done;

import dev.switchboard.server.cluster.LocalFacts.App;
import dev.switchboard.server.engine.Inboxes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The one-node {@link Inboxes}: each app's {@link LocalInbox}, read and written only inside the compute of the user
 * it concerns, the one {@link LocalOnlineUsers#signIn} takes it in, so an event is either kept or delivered live.
 */
final class LocalInboxes implements Inboxes {
    private final LocalFacts facts;

    LocalInboxes(LocalFacts facts) {
        this.facts = facts;
    }

    @Override
    public CompletionStage<Keep> keepIfOffline(String appId, String userId, KeptEvent event, int maxEvents) {
        App app = facts.app(appId);
        Keep[] result = new Keep[1];
        app.users.compute(userId, (k, u) -> {
            if (u != null && u.connections > 0) {
                result[0] = new Keep(false, 0);
                return u;
            }
            int dropped = app.inbox.keep(k, event, maxEvents);
            result[0] = new Keep(true, dropped);
            return u;
        });
        return done(result[0]);
    }

    @Override
    public CompletionStage<Inbox> inbox(String appId, String userId, boolean withEvents) {
        App app = facts.app(appId);
        List<KeptEvent> live = new ArrayList<>();
        app.users.compute(userId, (k, u) -> {
            live.addAll(app.inbox.read(k));
            return u;
        });
        return done(Inbox.of(live, withEvents));
    }

    @Override
    public CompletionStage<Integer> clearInbox(String appId, String userId) {
        App app = facts.app(appId);
        List<KeptEvent> live = new ArrayList<>();
        app.users.compute(userId, (k, u) -> {
            app.inbox.take(k, live);
            return u;
        });
        return done(live.size());
    }
}
