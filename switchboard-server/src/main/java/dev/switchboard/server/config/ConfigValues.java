package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.config.ConfigLoader.ConfigException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one setting's value, as text (environment, flags, {@code --set}) or as JSON (the config file), into
 * the Java value its record component holds, including the app and webhook objects of the list settings.
 * Every message names {@code where} the value came from, so the user can find it.
 */
final class ConfigValues {
    /** Comments allowed, since people annotate config files; trailing tokens refused, since they are a typo. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> WEBHOOK_KEYS = Set.of("url", "event_types", "channel_prefix", "headers");

    private ConfigValues() {}

    static Object fromText(ConfigSetting s, String text, String where) {
        if (text == null) {
            throw new ConfigException(where + ": a value is required");
        }
        String t = text.trim();
        if (s.isInt()) {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": '" + text + "' is not an integer (" + s.key() + ")");
            }
        }
        if (s.isBoolean()) {
            Boolean b = parseBoolean(t);
            if (b == null) {
                throw new ConfigException(where + ": '" + text + "' is not a boolean; use true or false (" + s.key() + ")");
            }
            return b;
        }
        if (s.isStringList() && !t.startsWith("[")) {
            List<String> items = new ArrayList<>();
            for (String part : t.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
            return items;
        }
        if (s.isList()) {
            JsonNode node;
            try {
                node = JSON.readTree(t);
            } catch (JsonProcessingException e) {
                throw new ConfigException(where + ": not valid JSON: " + e.getOriginalMessage());
            }
            return fromJson(s, node, where);
        }
        return text;
    }

    static Object fromJson(ConfigSetting s, JsonNode node, String where) {
        String at = where + ", key '" + s.key() + "'";
        if (node == null || node.isNull()) {
            throw new ConfigException(at + ": null is not allowed");
        }
        if (s.isInt()) {
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return node.intValue();
            }
            if (node.isTextual()) {
                return fromText(s, node.textValue(), at);
            }
            throw new ConfigException(at + ": expected an integer, got " + node);
        }
        if (s.isBoolean()) {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isTextual()) {
                return fromText(s, node.textValue(), at);
            }
            throw new ConfigException(at + ": expected true or false, got " + node);
        }
        if (s.isList()) {
            if (!node.isArray()) {
                throw new ConfigException(at + ": expected a JSON array");
            }
            List<Object> out = new ArrayList<>();
            if (s.isStringList()) {
                for (int i = 0; i < node.size(); i++) {
                    if (!node.get(i).isTextual()) {
                        throw new ConfigException(at + ": expected an array of strings, got " + node.get(i));
                    }
                    out.add(node.get(i).textValue());
                }
                return out;
            }
            for (int i = 0; i < node.size(); i++) {
                String item = where + ", " + s.key() + "[" + i + "]";
                out.add(s.key().equals("apps") ? appFromJson(node.get(i), item) : webhookFromJson(node.get(i), item));
            }
            return out;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw new ConfigException(at + ": expected a string, got " + node);
    }

    private static AppConfig appFromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(where + ": each app must be a JSON object");
        }
        for (String required : List.of("id", "key", "secret")) {
            JsonNode v = node.get(required);
            if (v == null || v.isNull() || v.asText().isEmpty()) {
                throw new ConfigException(where + ": '" + required + "' is required");
            }
        }
        List<ConfigSetting> appSettings = ConfigSetting.app();
        Map<String, Object> values = ConfigRecords.appValues(AppConfig.defaults(
                node.get("id").asText(), node.get("key").asText(), node.get("secret").asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ConfigSetting s = SettingSuggestions.find(appSettings, e.getKey());
            if (s == null) {
                throw SettingSuggestions.unknown(e.getKey(), where, appSettings);
            }
            values.put(s.key(), fromJson(s, e.getValue(), where));
        }
        return ConfigRecords.construct(AppConfig.class, appSettings, values);
    }

    private static WebhookConfig webhookFromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(where + ": each webhook must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!WEBHOOK_KEYS.contains(k)) {
                throw new ConfigException(where + ": unknown webhook key '" + k + "'"
                        + SettingSuggestions.suggestion(k, WEBHOOK_KEYS)
                        + "; known keys: url, event_types, channel_prefix, headers");
            }
        }
        JsonNode url = node.get("url");
        if (url == null || !url.isTextual() || url.textValue().isBlank()) {
            throw new ConfigException(where + ": 'url' is required");
        }
        try {
            URI u = URI.create(url.textValue());
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": url '" + url.textValue() + "' is not an http(s) URL");
        }
        List<String> types = new ArrayList<>();
        JsonNode t = node.get("event_types");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw new ConfigException(where + ": 'event_types' must be an array of strings");
            }
            t.forEach(x -> types.add(x.asText()));
        }
        JsonNode p = node.get("channel_prefix");
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = node.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                throw new ConfigException(where + ": 'headers' must be an object of strings");
            }
            h.fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        }
        return new WebhookConfig(url.textValue(), types, p == null || p.isNull() ? null : p.asText(), headers);
    }

    /** The spellings people use in environment variables and shell flags, not only Java's true/false. */
    private static Boolean parseBoolean(String t) {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "true": case "1": case "yes": case "on":
                return Boolean.TRUE;
            case "false": case "0": case "no": case "off":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
