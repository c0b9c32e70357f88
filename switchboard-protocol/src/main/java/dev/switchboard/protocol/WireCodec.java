package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The only place WebSocket JSON is read or written. Server {@code data} is double-encoded (a JSON string
 * holding JSON) except for {@code pusher:error} and {@code pusher:signin_success}, whose data Pusher sends
 * as an object (PROTOCOL.md §0).
 */
public final class WireCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private WireCodec() {}

    public static ObjectMapper mapper() { return MAPPER; }

    // ---------------------------------------------------------------- decoding

    public static ClientMessage decode(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new ClientMessage.Malformed("Invalid JSON");
        }
        if (root == null || !root.isObject()) {
            return new ClientMessage.Malformed("Message must be a JSON object");
        }
        JsonNode event = root.get("event");
        if (event == null || !event.isTextual() || event.textValue().isEmpty()) {
            return new ClientMessage.Malformed("Missing or invalid event name");
        }
        String name = event.textValue();
        JsonNode data = root.get("data");
        switch (name) {
            case "pusher:ping":
                return new ClientMessage.Ping();
            case "pusher:pong":
                return new ClientMessage.Pong();
            case "pusher:subscribe": {
                ObjectNode d = dataObject(data);
                if (d == null) {
                    return new ClientMessage.Malformed("pusher:subscribe needs a data object");
                }
                String channel = optionalText(d, "channel");
                String auth = optionalText(d, "auth");
                String channelData = optionalText(d, "channel_data");
                if (channel == BAD || auth == BAD || channelData == BAD || channel == null) {
                    return new ClientMessage.Malformed("pusher:subscribe needs string fields channel, auth, channel_data");
                }
                return new ClientMessage.Subscribe(channel, auth, channelData);
            }
            case "pusher:unsubscribe": {
                ObjectNode d = dataObject(data);
                String channel = d == null ? null : optionalText(d, "channel");
                if (channel == null || channel == BAD) {
                    return new ClientMessage.Malformed("pusher:unsubscribe needs a string channel");
                }
                return new ClientMessage.Unsubscribe(channel);
            }
            case "pusher:signin": {
                ObjectNode d = dataObject(data);
                String auth = d == null ? null : optionalText(d, "auth");
                String userData = d == null ? null : optionalText(d, "user_data");
                if (auth == null || auth == BAD || userData == null || userData == BAD) {
                    return new ClientMessage.Malformed("pusher:signin needs string fields auth and user_data");
                }
                return new ClientMessage.Signin(auth, userData);
            }
            default:
                if (name.startsWith("client-")) {
                    JsonNode channel = root.get("channel");
                    if (channel == null || !channel.isTextual()) {
                        return new ClientMessage.Malformed("Client event needs a string channel");
                    }
                    String dataJson = data == null ? null : data.toString();
                    return new ClientMessage.ClientEvent(name, channel.textValue(), dataJson);
                }
                return new ClientMessage.Unknown(name);
        }
    }

    private static final String BAD = new String("<bad>");

    private static ObjectNode dataObject(JsonNode data) {
        if (data instanceof ObjectNode o) {
            return o;
        }
        if (data != null && data.isTextual()) {
            // Some older clients double-encode data on the way in too.
            try {
                JsonNode parsed = MAPPER.readTree(data.textValue());
                return parsed instanceof ObjectNode o ? o : null;
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return null;
    }

    /** The text of a field, null when absent or JSON null, {@link #BAD} when present with another type. */
    private static String optionalText(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.textValue() : BAD;
    }

    // ---------------------------------------------------------------- encoding

    public static byte[] encode(ServerMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (message instanceof ServerMessage.ConnectionEstablished m) {
                g.writeStringField("event", "pusher:connection_established");
                g.writeStringField("data", "{\"socket_id\":" + quote(m.socketId())
                        + ",\"activity_timeout\":" + m.activityTimeoutSeconds() + "}");
            } else if (message instanceof ServerMessage.Error m) {
                g.writeStringField("event", "pusher:error");
                g.writeObjectFieldStart("data");
                if (m.code() == null) {
                    g.writeNullField("code");
                } else {
                    g.writeNumberField("code", m.code());
                }
                g.writeStringField("message", m.message());
                g.writeEndObject();
            } else if (message instanceof ServerMessage.Pong m) {
                g.writeStringField("event", "pusher:pong");
                g.writeStringField("data", "{}");
            } else if (message instanceof ServerMessage.SubscriptionSucceeded m) {
                g.writeStringField("event", "pusher_internal:subscription_succeeded");
                g.writeStringField("channel", m.channel());
                g.writeStringField("data", "{}");
            } else if (message instanceof ServerMessage.PresenceSubscriptionSucceeded m) {
                g.writeStringField("event", "pusher_internal:subscription_succeeded");
                g.writeStringField("channel", m.channel());
                g.writeStringField("data", presenceData(m.members()));
            } else if (message instanceof ServerMessage.MemberAdded m) {
                g.writeStringField("event", "pusher_internal:member_added");
                g.writeStringField("channel", m.channel());
                g.writeStringField("data", "{\"user_id\":" + quote(m.userId()) + ",\"user_info\":"
                        + (m.userInfoJson() == null ? "null" : m.userInfoJson()) + "}");
            } else if (message instanceof ServerMessage.MemberRemoved m) {
                g.writeStringField("event", "pusher_internal:member_removed");
                g.writeStringField("channel", m.channel());
                g.writeStringField("data", "{\"user_id\":" + quote(m.userId()) + "}");
            } else if (message instanceof ServerMessage.SubscriptionCount m) {
                g.writeStringField("event", "pusher_internal:subscription_count");
                g.writeStringField("channel", m.channel());
                g.writeStringField("data", "{\"subscription_count\":" + m.count() + "}");
            } else if (message instanceof ServerMessage.CacheMiss m) {
                g.writeStringField("event", "pusher:cache_miss");
                g.writeStringField("channel", m.channel());
                g.writeStringField("data", "{}");
            } else if (message instanceof ServerMessage.ChannelEvent m) {
                g.writeStringField("event", m.event());
                g.writeStringField("channel", m.channel());
                g.writeFieldName("data");
                if (m.dataJson() == null) {
                    g.writeString("{}");
                } else {
                    g.writeRawValue(m.dataJson());
                }
                if (m.userId() != null) {
                    g.writeStringField("user_id", m.userId());
                }
            } else if (message instanceof ServerMessage.SigninSuccess m) {
                g.writeStringField("event", "pusher:signin_success");
                g.writeObjectFieldStart("data");
                g.writeStringField("user_data", m.userData());
                g.writeEndObject();
            } else if (message instanceof ServerMessage.WatchlistEvents m) {
                g.writeStringField("event", "pusher_internal:watchlist_events");
                g.writeObjectFieldStart("data");
                g.writeArrayFieldStart("events");
                writeWatchlistElement(g, "online", m.online());
                writeWatchlistElement(g, "offline", m.offline());
                g.writeEndArray();
                g.writeEndObject();
            }

            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String encodeToString(ServerMessage message) {
        return new String(encode(message), StandardCharsets.UTF_8);
    }

    private static void writeWatchlistElement(JsonGenerator g, String name, List<String> ids) throws IOException {
        if (ids == null || ids.isEmpty()) {
            return;
        }
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeArrayFieldStart("user_ids");
        for (String id : ids) {
            g.writeString(id);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static String presenceData(Map<String, String> members) {
        StringBuilder ids = new StringBuilder("[");
        StringBuilder hash = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : members.entrySet()) {
            if (!first) {
                ids.append(',');
                hash.append(',');
            }
            first = false;
            String q = quote(e.getKey());
            ids.append(q);
            hash.append(q).append(':').append(e.getValue() == null ? "null" : e.getValue());
        }
        return "{\"presence\":{\"ids\":" + ids.append(']') + ",\"hash\":" + hash.append('}')
                + ",\"count\":" + members.size() + "}}";
    }

    /** A JSON string literal (with quotes) for {@code s}. */
    public static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    /** Parses JSON text into a tree; null when it is not valid JSON. */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Parses JSON bytes into a tree; null when it is not valid JSON. */
    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
