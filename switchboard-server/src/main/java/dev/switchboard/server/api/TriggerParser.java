package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the fields of a trigger (PROTOCOL.md §6.3) against the app's limits. Pure: no engine, so every
 * rule is unit-testable. Problems are thrown as {@link ApiProblem} (400, or 413 for oversized data).
 */
final class TriggerParser {
    /**
     * Channel names the server SDKs accept on trigger (pusher-http-node refuses above 200): a protocol
     * constant, not a server setting. The HTTP API never refuses a name the subscribe limit would accept.
     */
    static final int SDK_CHANNEL_NAME_LIMIT = 200;

    private static final Pattern SOCKET_ID = Pattern.compile("^\\d+\\.\\d+$");
    private static final Set<InfoAttribute> TRIGGER_INFO =
            EnumSet.of(InfoAttribute.USER_COUNT, InfoAttribute.SUBSCRIPTION_COUNT);

    private TriggerParser() {}

    /**
     * Parses one trigger object. {@code maxChannels} is the app's per-trigger limit for {@code /events} and 1 for
     * a batch item; {@code where} prefixes messages ("" or "batch[3]: ").
     */
    static Trigger parse(JsonNode body, AppConfig app, int maxChannels, String where) {
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest(where + "Event must be a JSON object");
        }
        String name = requiredText(body, "name", where);
        if (name.isEmpty()) {
            throw ApiProblem.badRequest(where + "Event name must not be empty");
        }
        if (name.length() > app.maxEventNameLength()) {
            throw ApiProblem.badRequest(where + "Event name too long (over " + app.maxEventNameLength()
                    + " characters)");
        }
        String data = data(body, where);
        long size = utf8Length(data);
        if (size > app.maxEventDataBytes()) {
            throw ApiProblem.tooLarge(where + "Event data too large: " + size + " bytes (limit "
                    + app.maxEventDataBytes() + ")");
        }
        List<String> channels = channels(body, app, maxChannels, where);
        String socketId = socketId(body, where);
        JsonNode infoNode = body.get("info");
        String info = null;
        if (infoNode != null && !infoNode.isNull()) {
            if (!infoNode.isTextual()) {
                throw ApiProblem.badRequest(where + "info must be a comma-separated string");
            }
            info = infoNode.textValue();
        }
        return new Trigger(name, data, channels, socketId, InfoAttribute.parse(info, TRIGGER_INFO));
    }

    private static String requiredText(JsonNode body, String field, String where) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiProblem.badRequest(where + "Missing required field: " + field);
        }
        if (!v.isTextual()) {
            throw ApiProblem.badRequest(where + field + " must be a string");
        }
        return v.textValue();
    }

    /** {@code data} should be a string; any other JSON value is serialised (lenient, as soketi is). */
    private static String data(JsonNode body, String where) {
        JsonNode v = body.get("data");
        if (v == null || v.isNull()) {
            throw ApiProblem.badRequest(where + "Missing required field: data");
        }
        return v.isTextual() ? v.textValue() : WireCodec.write(v);
    }

    private static List<String> channels(JsonNode body, AppConfig app, int maxChannels, String where) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode many = body.get("channels");
        JsonNode one = body.get("channel");
        if (many != null && !many.isNull()) {
            if (!many.isArray()) {
                throw ApiProblem.badRequest(where + "channels must be an array of strings");
            }
            if (many.size() > maxChannels) {
                throw ApiProblem.badRequest(where + "Too many channels: " + many.size() + " (limit " + maxChannels
                        + ")");
            }
            for (JsonNode c : many) {
                if (!c.isTextual()) {
                    throw ApiProblem.badRequest(where + "channels must be an array of strings");
                }
                names.add(c.textValue());
            }
        } else if (one != null && !one.isNull()) {
            if (!one.isTextual()) {
                throw ApiProblem.badRequest(where + "channel must be a string");
            }
            names.add(one.textValue());
        }
        if (names.isEmpty()) {
            throw ApiProblem.badRequest(where + "Missing required field: channels (or channel)");
        }
        int limit = Math.max(SDK_CHANNEL_NAME_LIMIT, app.maxChannelNameLength());
        boolean encrypted = false;
        for (String name : names) {
            String problem = ChannelName.problem(name, limit);
            if (problem != null) {
                throw ApiProblem.badRequest(where + problem);
            }
            encrypted |= ChannelName.of(name).type() == ChannelType.PRIVATE_ENCRYPTED;
        }
        if (encrypted && names.size() > 1) {
            throw ApiProblem.badRequest(where
                    + "An event to a private-encrypted- channel must be triggered on that channel alone");
        }
        return List.copyOf(names);
    }

    private static String socketId(JsonNode body, String where) {
        JsonNode v = body.get("socket_id");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || !SOCKET_ID.matcher(v.textValue()).matches()) {
            throw ApiProblem.badRequest(where + "Invalid socket_id: " + Names.quote(v.asText()));
        }
        return v.textValue();
    }

    /** UTF-8 byte length without encoding the string. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
