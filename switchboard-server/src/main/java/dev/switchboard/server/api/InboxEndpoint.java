package dev.switchboard.server.api;

import dev.switchboard.server.engine.Inboxes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /apps/{app_id}/users/{user_id}/inbox[?with_events=true]} (user inbox, docs/users.md): how many events
 * wait for the user's next sign-in, {@code {"count":N,"oldest":ms|null,"newest":ms|null}}, with
 * {@code "events":[{"event","data","sent_at","expires_at"}]} oldest first when asked. Times are Unix milliseconds.
 * An unknown user has an empty inbox, not a 404: nothing is revealed by the difference.
 */
final class InboxEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        String flag = call.param("with_events");
        boolean withEvents = flag != null && (flag.equals("true") || flag.equals("1"));
        return call.app().inbox(call.pathParam(), withEvents).thenApply(inbox -> ApiResponse.ok(json(inbox)));
    }

    private static Map<String, Object> json(Inboxes.Inbox inbox) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", inbox.count());
        out.put("oldest", inbox.oldestMillis());
        out.put("newest", inbox.newestMillis());
        if (inbox.events() != null) {
            List<Map<String, Object>> events = new ArrayList<>(inbox.events().size());
            for (Inboxes.KeptEvent e : inbox.events()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("event", e.event());
                one.put("data", e.data());
                one.put("sent_at", e.sentAtMillis());
                one.put("expires_at", e.expiresAtMillis());
                events.add(one);
            }
            out.put("events", events);
        }
        return out;
    }
}
