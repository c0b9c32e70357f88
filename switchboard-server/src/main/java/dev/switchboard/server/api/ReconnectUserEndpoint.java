package dev.switchboard.server.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /apps/{app_id}/users/{user_id}/reconnect} (Switchboard's extension, docs/users.md "Re-auth on demand"):
 * closes every connection signed in as the user, on every node, with 4200, so that its clients reconnect at once and
 * sign in again through the app's auth endpoint (after a change of its rights). Always {@code 200 {}}, as terminate.
 */
final class ReconnectUserEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        call.app().reconnectUser(call.pathParam());
        return Endpoint.now(ApiResponse.ok(Map.of()));
    }
}
