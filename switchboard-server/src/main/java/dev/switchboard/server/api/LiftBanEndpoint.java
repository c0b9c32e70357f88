package dev.switchboard.server.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code DELETE /apps/{app_id}/users/{user_id}/ban} (Switchboard's extension, docs/users.md, "Bans"): lifts the
 * user's ban on every node; {@code 200 {"lifted":true}}, or {@code false} when it had none (then no webhook).
 */
final class LiftBanEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        return call.app().liftBan(call.pathParam()).thenApply(lifted -> ApiResponse.ok(Map.of("lifted", lifted)));
    }
}
