package dev.switchboard.server.api;

import dev.switchboard.server.engine.UserSnapshot;

/** {@code GET /apps/{app_id}/users/{user_id}} (user data API): what the server holds about one user, or 404. */
final class GetUserEndpoint implements Endpoint {

    @Override
    public ApiResponse handle(ApiCall call) {
        UserSnapshot user = call.app().user(call.pathParam());
        if (user == null) {
            throw ApiProblem.notFound("Unknown user");
        }
        return ApiResponse.ok(UserJson.snapshot(user));
    }
}
