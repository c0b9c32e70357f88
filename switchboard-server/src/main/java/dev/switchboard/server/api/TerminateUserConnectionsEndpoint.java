package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /apps/{app_id}/users/{user_id}/terminate_connections} (PROTOCOL.md §5.11, §6.8): closes every
 * connection signed in as the user, cluster-wide, with 4009. Without a ban, always {@code 200 {}}: an unknown user is a
 * no-op, as on the hosted service. Switchboard's extension: a body {@code {"ban_seconds": N}} (1 to
 * {@code max_ban_seconds}) first bans the user for N seconds on every node, answering {@code {"banned_until_ms"}}
 * (docs/users.md, "Bans"); any other body but a JSON object is a 400, as are other values of ban_seconds.
 */
final class TerminateUserConnectionsEndpoint implements Endpoint {
    private final int maxBanSeconds;

    TerminateUserConnectionsEndpoint(int maxBanSeconds) {
        this.maxBanSeconds = maxBanSeconds;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        long banSeconds = banSeconds(call);
        if (banSeconds == 0) {
            call.app().terminateUser(call.pathParam());
            return Endpoint.now(ApiResponse.ok(Map.of()));
        }
        return call.app().banUser(call.pathParam(), banSeconds * 1000)
                .thenApply(until -> ApiResponse.ok(Map.of("banned_until_ms", until)));
    }

    /** The ban asked for, 0 for none (no body, {@code {}}, or no ban_seconds). */
    private long banSeconds(ApiCall call) {
        if (call.body() == null || call.body().length == 0) {
            return 0;
        }
        JsonNode ban = call.jsonObject().get("ban_seconds");
        if (ban == null) {
            return 0;
        }
        if (!ban.isIntegralNumber() || !ban.canConvertToLong() || ban.longValue() < 1
                || ban.longValue() > maxBanSeconds) {
            throw ApiProblem.badRequest("ban_seconds must be a whole number from 1 to " + maxBanSeconds
                    + " (max_ban_seconds)");
        }
        return ban.longValue();
    }
}
