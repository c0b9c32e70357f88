package dev.switchboard.server.api;

import dev.switchboard.server.engine.UserPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /apps/{app_id}/users?cursor=…&limit=…} (user data API): one page of online user ids in id
 * order, {@code {"users":[{"id":…}],"total":N,"next_cursor":…|null}}. A limit above the maximum is clamped
 * (callers paging with a large number still make progress); a non-numeric or non-positive one is a 400.
 */
final class ListUsersEndpoint implements Endpoint {
    /** Page size when no limit is given. */
    static final int DEFAULT_LIMIT = 100;
    /** Largest page: bounds the work one request does on the event loop. */
    static final int MAX_LIMIT = 1000;

    @Override
    public CompletionStage<ApiResponse> handle(ApiCall call) {
        int limit = limit(call.param("limit"));
        String cursor = call.param("cursor");
        if (cursor != null && cursor.isEmpty()) {
            cursor = null;
        }
        return call.app().onlineUsers(cursor, limit).thenApply(ListUsersEndpoint::answer);
    }

    private static ApiResponse answer(UserPage page) {
        List<Map<String, String>> users = new ArrayList<>(page.ids().size());
        for (String id : page.ids()) {
            users.add(Map.of("id", id));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", users);
        out.put("total", page.total());
        out.put("next_cursor", page.nextCursor());
        return ApiResponse.ok(out);
    }

    static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("limit must be a positive integer");
        }
        if (n < 1) {
            throw ApiProblem.badRequest("limit must be a positive integer");
        }
        return (int) Math.min(n, MAX_LIMIT);
    }
}
