package dev.switchboard.server.api;

import dev.switchboard.server.engine.UserErasure;

/**
 * {@code DELETE /apps/{app_id}/users/{user_id}} (user data API): terminates the user's connections and erases
 * what the server holds about it (presence memberships, user_info, its watchlist and its place in others'),
 * answering what was erased; 404 for an unknown user.
 */
final class DeleteUserEndpoint implements Endpoint {

    @Override
    public ApiResponse handle(ApiCall call) {
        UserErasure erased = call.app().deleteUser(call.pathParam());
        if (erased == null) {
            throw ApiProblem.notFound("Unknown user");
        }
        return ApiResponse.ok(UserJson.erasure(erased));
    }
}
