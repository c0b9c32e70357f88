package dev.switchboard.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The SDK's one JSON mapper. Output is compact and keeps insertion order, as {@code JSON.stringify} does,
 * so signed strings match what the Node SDK would produce for the same input.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise " + value.getClass().getName() + " to JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Event data: a String is sent as it is, anything else as its JSON. */
    static String eventData(Object data) {
        Checks.notNull(data, "event data");
        return data instanceof String ? (String) data : write(data);
    }

    static JsonNode tree(Object value) {
        return value == null ? NullNode.getInstance() : MAPPER.valueToTree(value);
    }

    static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null ? NullNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            throw new SwitchboardException("Unreadable JSON in the server's answer: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectMapper mapper() { return MAPPER; }
}
