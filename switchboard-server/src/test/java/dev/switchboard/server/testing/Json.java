package dev.switchboard.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.rest.data.Result;
import java.io.UncheckedIOException;

/** Reading JSON bodies in assertions, and writing the raw bodies that pusher-http-java has no helper for. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }

    /** The body of a successful SDK call; fails with status and body otherwise. */
    public static JsonNode body(Result result) {
        if (result.getStatus() != Result.Status.SUCCESS) {
            throw new AssertionError("Expected HTTP 200 but got " + result.getHttpStatus() + " " + result.getStatus()
                    + ": " + result.getMessage());
        }
        return parse(result.getMessage());
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
