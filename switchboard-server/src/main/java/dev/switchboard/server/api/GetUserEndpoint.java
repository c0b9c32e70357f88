package dev.switchboard.server.api;

import dev.switchboard.server.engine.UserSnapshot;
import java.util.concurrent.CompletionStage;

/** {@code GET /apps/{app_id}/users/{user_id}} (user data API): what the server holds about one user, or 404. */
final class GetUserEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        return call.app().user(call.pathParam()).thenApply(GetUserEndpoint::answer);
    }

    static ApiResponse answer(UserSnapshot user) {
        if (user == null) {
            throw ApiProblem.notFound("Unknown user");
        }
        return ApiResponse.ok(UserJson.snapshot(user));
    }
}
