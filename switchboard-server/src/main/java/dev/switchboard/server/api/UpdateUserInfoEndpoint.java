package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import java.util.concurrent.CompletionStage;

/**
 * {@code PUT /apps/{app_id}/users/{user_id}} with {@code {"user_info":…}} (user data API): replaces the
 * user_info the server holds for an online user and answers the new snapshot. The body is checked before the
 * user is looked up: 400 without user_info, 413 when it is larger than maxPresenceUserInfoBytes once
 * serialised, 404 for an unknown user.
 */
final class UpdateUserInfoEndpoint implements Endpoint {

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        JsonNode info = call.jsonObject().get("user_info");
        if (info == null || info.isNull()) {
            throw ApiProblem.badRequest("Missing required field: user_info");
        }
        String json = WireCodec.write(info);
        int limit = call.app().config().maxPresenceUserInfoBytes();
        long size = TriggerParser.utf8Length(json);
        if (size > limit) {
            throw ApiProblem.tooLarge("user_info too large: " + size + " bytes (limit " + limit + ")");
        }
        String userId = call.pathParam();
        return call.app().updateUserInfo(userId, json).thenCompose(updated -> {
            if (!updated) {
                throw ApiProblem.notFound("Unknown user");
            }
            // A user gone offline between the update and the read is a 404 too.
            return call.app().user(userId).thenApply(GetUserEndpoint::answer);
        });
    }
}
