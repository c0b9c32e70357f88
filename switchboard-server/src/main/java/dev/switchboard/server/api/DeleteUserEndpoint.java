package dev.switchboard.server.api;

import java.util.concurrent.CompletionStage;

/**
 * {@code DELETE /apps/{app_id}/users/{user_id}} (user data API): terminates the user's connections and erases
 * what the server holds about it (presence memberships, user_info, its watchlist and its place in others'),
 * answering what was erased; 404 for an unknown user.
 */
final class DeleteUserEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        return call.app().deleteUser(call.pathParam()).thenApply(erased -> {
            if (erased == null) {
                throw ApiProblem.notFound("Unknown user");
            }
            return ApiResponse.ok(UserJson.erasure(erased));
        });
    }
}
