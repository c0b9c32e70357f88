package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * soketi's webhooks JSON (its {@code DEFAULT_APP_WEBHOOKS} and its apps table's {@code webhooks} column) as
 * ours: {@code filter.channel_name_starts_with} becomes {@code channel_prefix}. A webhook with
 * {@code channel_name_ends_with} or a Lambda target is left out, and said so through {@code dropped}: we can
 * neither filter by a suffix nor call Lambda, and no webhook is better than one carrying channels it did not
 * ask for. Text that is not soketi-shaped is returned as is, for the config's own check.
 */
public final class SoketiWebhooks {
    private SoketiWebhooks() {}

    public static String translate(String text, Consumer<String> dropped) {
        JsonNode root;
        try {
            root = ConfigValues.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
        if (root == null || !root.isArray() || !soketiShaped(root)) {
            return text;
        }
        ArrayNode ours = ConfigValues.JSON.createArrayNode();
        for (JsonNode hook : root) {
            String why = unsupported(hook);
            if (why != null) {
                dropped.accept("webhook " + hook.path("url").asText("(Lambda)") + " left out: " + why);
                continue;
            }
            ObjectNode h = ours.addObject();
            h.set("url", hook.get("url"));
            if (hook.has("event_types")) {
                h.set("event_types", hook.get("event_types"));
            }
            if (hook.has("headers")) {
                h.set("headers", hook.get("headers"));
            }
            String prefix = hook.path("filter").path("channel_name_starts_with").asText("");
            if (!prefix.isEmpty()) {
                h.put("channel_prefix", prefix);
            }
        }
        return ours.toString();
    }

    private static boolean soketiShaped(JsonNode hooks) {
        for (JsonNode hook : hooks) {
            if (hook.has("filter") || hook.has("lambda") || hook.has("lambda_function")) {
                return true;
            }
        }
        return false;
    }

    /** Why this webhook cannot be honoured, or null. */
    private static String unsupported(JsonNode hook) {
        if (!hook.hasNonNull("url") || hook.get("url").asText().isEmpty()) {
            return "Lambda targets are not supported";
        }
        JsonNode filter = hook.path("filter");
        if (!filter.path("channel_name_ends_with").asText("").isEmpty()) {
            return "filter.channel_name_ends_with is not supported";
        }
        for (Iterator<String> it = filter.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("channel_name_starts_with") && !name.equals("channel_name_ends_with")) {
                return "filter." + name + " is not supported";
            }
        }
        return null;
    }
}
