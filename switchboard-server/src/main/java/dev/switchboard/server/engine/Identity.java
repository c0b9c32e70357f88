package dev.switchboard.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads who a client says it is: presence {@code channel_data} (PROTOCOL.md §2.3 step 4) and sign-in
 * {@code user_data} (§5.3). Each parse returns either the value or the reason it is refused.
 */
final class Identity {
    private Identity() {}

    /** A presence member: normalised string id and user_info as JSON text (or null). */
    record Member(String userId, String userInfoJson) {}

    /** A signed-in user as declared in user_data; {@code watchlistTruncated} when over the app's limit. */
    record User(String id, String userInfoJson, List<String> watchlist, boolean watchlistTruncated) {}

    /** Either a value or a problem. */
    record Parsed<T>(T value, String problem) {
        static <T> Parsed<T> ok(T value) { return new Parsed<>(value, null); }

        static <T> Parsed<T> fail(String problem) { return new Parsed<>(null, problem); }
    }

    static Parsed<Member> member(String channelData, AppConfig app) {
        JsonNode root = WireCodec.parse(channelData);
        if (root == null || !root.isObject()) {
            return Parsed.fail("Invalid channel_data: must be a JSON object");
        }
        JsonNode idNode = root.get("user_id");
        String id;
        if (idNode != null && idNode.isTextual()) {
            id = idNode.textValue();
        } else if (idNode != null && idNode.isIntegralNumber()) {
            id = idNode.bigIntegerValue().toString();
        } else if (idNode != null && idNode.isNumber()) {
            id = idNode.asText();
        } else {
            return Parsed.fail("Invalid channel_data: user_id must be a string or a number");
        }
        if (id.isEmpty()) {
            return Parsed.fail("Invalid channel_data: user_id must not be empty");
        }
        if (id.length() > app.maxUserIdLength()) {
            return Parsed.fail("Invalid channel_data: user_id longer than " + app.maxUserIdLength() + " characters");
        }
        JsonNode info = root.get("user_info");
        String infoJson = info == null || info.isNull() ? null : info.toString();
        String problem = userInfoProblem(infoJson, app);
        return problem == null ? Parsed.ok(new Member(id, infoJson)) : Parsed.fail(problem);
    }

    static String userInfoProblem(String infoJson, AppConfig app) {
        if (infoJson != null && infoJson.getBytes(StandardCharsets.UTF_8).length > app.maxPresenceUserInfoBytes()) {
            return "Presence user_info is larger than " + app.maxPresenceUserInfoBytes() + " bytes";
        }
        return null;
    }

    static Parsed<User> user(String userData, AppConfig app) {
        JsonNode root = WireCodec.parse(userData);
        if (root == null || !root.isObject()) {
            return Parsed.fail("Invalid user_data: must be a JSON object");
        }
        JsonNode idNode = root.get("id");
        if (idNode == null || !idNode.isTextual() || idNode.textValue().isEmpty()) {
            return Parsed.fail("Invalid user_data: id must be a non-empty string");
        }
        String id = idNode.textValue();
        if (id.length() > app.maxUserIdLength() || !ChannelName.isValidUserId(id)) {
            return Parsed.fail("Invalid user_data: id may only contain A-Z a-z 0-9 _ - = @ , . ; and be at most "
                    + app.maxUserIdLength() + " characters");
        }
        JsonNode info = root.get("user_info");
        String infoJson = info == null || info.isNull() ? null : info.toString();
        String problem = userInfoProblem(infoJson, app);
        if (problem != null) {
            return Parsed.fail(problem);
        }
        JsonNode list = root.get("watchlist");
        List<String> watchlist = new ArrayList<>();
        boolean truncated = false;
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                return Parsed.fail("Invalid user_data: watchlist must be an array of user id strings");
            }
            for (JsonNode entry : list) {
                if (!entry.isTextual() || !ChannelName.isValidUserId(entry.textValue())) {
                    return Parsed.fail("Invalid user_data: watchlist must be an array of user id strings");
                }
                if (watchlist.contains(entry.textValue())) {
                    continue;
                }
                if (watchlist.size() >= app.maxWatchlistSize()) {
                    truncated = true;
                    continue;
                }
                watchlist.add(entry.textValue());
            }
        }
        return Parsed.ok(new User(id, infoJson, List.copyOf(watchlist), truncated));
    }
}
