package dev.switchboard.server.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /apps/{app_id}/users/{user_id}/terminate_connections} (PROTOCOL.md §5.11, §6.8): closes every
 * connection signed in as the user, cluster-wide. Always {@code 200 {}}: an unknown user is a no-op, as on the
 * hosted service.
 */
final class TerminateUserConnectionsEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        call.app().terminateUser(call.pathParam());
        return Endpoint.now(ApiResponse.ok(Map.of()));
    }
}
