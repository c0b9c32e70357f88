package dev.switchboard.server.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code DELETE /apps/{app_id}/users/{user_id}/inbox}: empties it, answering {@code {"cleared":N}}. */
final class ClearInboxEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        return call.app().clearInbox(call.pathParam()).thenApply(n -> ApiResponse.ok(Map.of("cleared", n)));
    }
}
