package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Builds the {@link ServerConfig} from four sources, later ones winning: built-in defaults, a JSON config file
 * ({@code --config FILE}), environment variables ({@code SWITCHBOARD_*}), then command-line flags. Every
 * setting has the same snake_case name everywhere (see {@link ConfigSetting}); per-app settings from the
 * environment and flags apply to the first app. Unknown keys and bad values raise a {@link ConfigException}
 * whose message is meant for the user as is.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "SWITCHBOARD_";
    public static final String CONFIG_ENV = "SWITCHBOARD_CONFIG";
    /** Environment variables of ours that are not settings (the config file, logback's level). */
    public static final Set<String> OTHER_ENV = Set.of(CONFIG_ENV, "SWITCHBOARD_LOG_LEVEL");
    static final String OPT_CONFIG = "--config";
    static final String OPT_SET = "--set";
    public static final String OPT_PRINT_DOCS = "--print-config-docs";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final List<ConfigSetting> serverSettings = ConfigSetting.server();
    private final List<ConfigSetting> appSettings = ConfigSetting.app();
    private final Map<String, Object> server = new LinkedHashMap<>();
    private final List<Map<String, Object>> apps = new ArrayList<>();
    private final Consumer<String> warnings;

    /** A problem with the configuration, worded for the person who wrote it. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    private ConfigLoader(Consumer<String> warnings) {
        this.warnings = warnings;
        ServerConfig defaults = ServerConfig.defaults();
        for (ConfigSetting s : serverSettings) {
            server.put(s.key(), read(defaults, s.component()));
        }
        for (AppConfig app : defaults.apps()) {
            apps.add(appValues(app));
        }
    }

    // ---------------------------------------------------------------- entry points

    /** Defaults, then the file, the environment and the flags of {@code args}. Help flags are ignored here. */
    public static ServerConfig load(String[] args, Map<String, String> env) {
        return load(args, env, w -> {});
    }

    public static ServerConfig load(String[] args, Map<String, String> env, Consumer<String> warnings) {
        ParseResult parsed;
        try {
            parsed = new CommandLine(commandSpec()).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(e.getMessage());
        }
        return load(parsed, env, warnings);
    }

    /** From flags already parsed against {@link #commandSpec()}. */
    public static ServerConfig load(ParseResult parsed, Map<String, String> env, Consumer<String> warnings) {
        ConfigLoader loader = new ConfigLoader(warnings);
        String file = parsed.hasMatchedOption(OPT_CONFIG)
                ? parsed.matchedOptionValue(OPT_CONFIG, (String) null)
                : env.get(CONFIG_ENV);
        if (file != null && !file.isBlank()) {
            loader.applyFile(Path.of(file));
        }
        loader.applyEnv(env);
        loader.applyFlags(parsed);
        return loader.build();
    }

    /** Defaults, then a config file only. */
    public static ServerConfig fromFile(Path file) {
        ConfigLoader loader = new ConfigLoader(w -> {});
        loader.applyFile(file);
        return loader.build();
    }

    /**
     * The flags: {@code --config}, {@code --set KEY=VALUE}, and one flag per setting ({@code --port},
     * {@code --app-key}, ...), plus {@code --help} and {@code --version}.
     */
    public static CommandSpec commandSpec() {
        CommandSpec spec = CommandSpec.create().name("switchboard").version("Switchboard 0.1.0")
                .mixinStandardHelpOptions(true);
        spec.usageMessage()
                .sortOptions(false)
                .abbreviateSynopsis(true)
                .description("A self-hosted realtime server speaking the Pusher Channels protocol.",
                        "Settings come from defaults, then --config FILE, then SWITCHBOARD_* environment variables,"
                                + " then these flags; later sources win. Per-app flags (--app-*) apply to the first app.")
                .footer("", "Every setting, its environment variable and file key: docs/configuration.md");
        spec.addOption(OptionSpec.builder("-c", OPT_CONFIG).paramLabel("FILE").type(String.class)
                .description("JSON config file (also " + CONFIG_ENV + ").").build());
        spec.addOption(OptionSpec.builder(OPT_SET).paramLabel("KEY=VALUE").type(List.class)
                .auxiliaryTypes(String.class)
                .description("Set any setting by its file key (app.KEY for the first app); repeatable; wins over the other flags.")
                .build());
        for (ConfigSetting s : ConfigSetting.all()) {
            OptionSpec.Builder b = OptionSpec.builder(s.flag()).type(String.class)
                    .description(s.description() + " Env " + s.envVar() + "; default " + defaultText(s) + ".");
            if (s.isBoolean()) {
                b.arity("0..1").paramLabel("BOOL").fallbackValue("true");
            } else {
                b.arity("1").paramLabel(s.isInt() ? "N" : s.isList() ? "JSON" : "TEXT");
            }
            spec.addOption(b.build());
        }
        spec.addOption(OptionSpec.builder(OPT_PRINT_DOCS).arity("0").type(boolean.class).hidden(true)
                .description("Print the settings table of docs/configuration.md and exit.").build());
        return spec;
    }

    /** The default of a setting as the docs show it. */
    public static String defaultText(ConfigSetting s) {
        ServerConfig d = ServerConfig.defaults();
        Object v = s.scope() == ConfigSetting.Scope.SERVER ? read(d, s.component())
                : read(d.apps().get(0), s.component());
        if (s.isList()) {
            return s.key().equals("apps") ? "one app: app-id / app-key / app-secret" : "[]";
        }
        return String.valueOf(v);
    }

    // ---------------------------------------------------------------- sources

    private void applyFile(Path file) {
        String where = "config file " + file;
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("Config file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new ConfigException("Config file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + locationOf(e));
        } catch (IOException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("Config file " + file + " must hold a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ConfigSetting s = find(serverSettings, e.getKey());
            if (s == null) {
                throw unknown(e.getKey(), where, serverSettings);
            }
            server.put(s.key(), fromJson(s, e.getValue(), where));
        }
        if (root.has("apps")) {
            apps.clear();
            @SuppressWarnings("unchecked")
            List<AppConfig> list = (List<AppConfig>) server.get("apps");
            for (AppConfig app : list) {
                apps.add(appValues(app));
            }
        }
    }

    private void applyEnv(Map<String, String> env) {
        Map<String, ConfigSetting> byName = new LinkedHashMap<>();
        for (ConfigSetting s : ConfigSetting.all()) {
            byName.put(s.envVar(), s);
        }
        // Sorted, so that a run is reproducible whatever the map's order.
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (!name.startsWith(ENV_PREFIX) || OTHER_ENV.contains(name)) {
                continue;
            }
            ConfigSetting s = byName.get(name);
            if (s == null) {
                // Not fatal: the environment is shared with other tools; but a typo must not pass unnoticed.
                warnings.accept("Ignoring unknown environment variable " + name
                        + suggestion(name, byName.keySet()));
                continue;
            }
            set(s, env.get(name), "environment variable " + name);
        }
    }

    private void applyFlags(ParseResult parsed) {
        for (ConfigSetting s : ConfigSetting.all()) {
            if (parsed.hasMatchedOption(s.flag())) {
                set(s, parsed.matchedOptionValue(s.flag(), (String) null), "flag " + s.flag());
            }
        }
        if (parsed.hasMatchedOption(OPT_SET)) {
            List<String> sets = parsed.matchedOptionValue(OPT_SET, List.of());
            for (String kv : sets) {
                applySet(kv);
            }
        }
    }

    private void applySet(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set expects KEY=VALUE, got '" + kv + "'");
        }
        String key = kv.substring(0, eq).trim();
        String value = kv.substring(eq + 1);
        String where = "--set " + key;
        ConfigSetting s;
        if (key.startsWith("app.") || key.startsWith("app_")) {
            s = find(appSettings, key.substring(4));
            if (s == null) {
                throw unknown(key.substring(4), where + " (app setting)", appSettings);
            }
        } else {
            s = find(serverSettings, key);
            if (s == null) {
                throw unknown(key, where, serverSettings);
            }
        }
        set(s, value, where);
    }

    private void set(ConfigSetting s, String text, String where) {
        Object v = fromText(s, text, where);
        if (s.scope() == ConfigSetting.Scope.SERVER) {
            server.put(s.key(), v);
            if (s.key().equals("apps")) {
                apps.clear();
                @SuppressWarnings("unchecked")
                List<AppConfig> list = (List<AppConfig>) v;
                for (AppConfig app : list) {
                    apps.add(appValues(app));
                }
            }
        } else {
            if (apps.isEmpty()) {
                apps.add(appValues(AppConfig.defaults("app-id", "app-key", "app-secret")));
            }
            apps.get(0).put(s.key(), v);
        }
    }

    // ---------------------------------------------------------------- values

    private Object fromText(ConfigSetting s, String text, String where) {
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

    private Object fromJson(ConfigSetting s, JsonNode node, String where) {
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

    private AppConfig appFromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(where + ": each app must be a JSON object");
        }
        for (String required : List.of("id", "key", "secret")) {
            JsonNode v = node.get(required);
            if (v == null || v.isNull() || v.asText().isEmpty()) {
                throw new ConfigException(where + ": '" + required + "' is required");
            }
        }
        Map<String, Object> values = appValues(AppConfig.defaults(
                node.get("id").asText(), node.get("key").asText(), node.get("secret").asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ConfigSetting s = find(appSettings, e.getKey());
            if (s == null) {
                throw unknown(e.getKey(), where, appSettings);
            }
            values.put(s.key(), fromJson(s, e.getValue(), where));
        }
        return construct(AppConfig.class, appSettings, values);
    }

    private static WebhookConfig webhookFromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(where + ": each webhook must be a JSON object");
        }
        Set<String> known = Set.of("url", "event_types", "channel_prefix", "headers");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new ConfigException(where + ": unknown webhook key '" + k + "'" + suggestion(k, known)
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

    // ---------------------------------------------------------------- building and checking

    private ServerConfig build() {
        List<AppConfig> built = new ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            AppConfig app = construct(AppConfig.class, appSettings, apps.get(i));
            validateApp(app, "app " + i + " (" + app.id() + ")");
            built.add(app);
        }
        server.put("apps", built);
        ServerConfig config = construct(ServerConfig.class, serverSettings, server);
        validate(config);
        return config;
    }

    private static void validate(ServerConfig c) {
        range("port", c.port(), 0, 65535);
        range("activity_timeout_seconds", c.activityTimeoutSeconds(), 1, Integer.MAX_VALUE);
        range("pong_timeout_seconds", c.pongTimeoutSeconds(), 1, Integer.MAX_VALUE);
        range("max_frame_bytes", c.maxFrameBytes(), 1, Integer.MAX_VALUE);
        range("max_http_body_bytes", c.maxHttpBodyBytes(), 1, Integer.MAX_VALUE);
        range("timestamp_skew_seconds", c.timestampSkewSeconds(), 0, Integer.MAX_VALUE);
        range("write_buffer_high_water_mark", c.writeBufferHighWaterMark(), 1, Integer.MAX_VALUE);
        range("write_buffer_low_water_mark", c.writeBufferLowWaterMark(), 0, c.writeBufferHighWaterMark());
        range("shutdown_grace_seconds", c.shutdownGraceSeconds(), 0, Integer.MAX_VALUE);
        range("worker_threads", c.workerThreads(), 0, 4096);
        for (ConfigSetting s : ConfigSetting.server()) {
            if (s.isInt()) {
                range(s.key(), (Integer) read(c, s.component()), 0, Integer.MAX_VALUE);
            }
        }
        if (c.host() == null || c.host().isBlank()) {
            throw new ConfigException("host must not be empty");
        }
        if (c.apps().isEmpty()) {
            throw new ConfigException("At least one app is required");
        }
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (AppConfig a : c.apps()) {
            if (!ids.add(a.id())) {
                throw new ConfigException("Two apps have the id '" + a.id() + "'");
            }
            if (!keys.add(a.key())) {
                throw new ConfigException("Two apps have the key '" + a.key() + "'");
            }
        }
    }

    private static void validateApp(AppConfig a, String where) {
        for (String[] f : new String[][] {{"id", a.id()}, {"key", a.key()}, {"secret", a.secret()}}) {
            if (f[1] == null || f[1].isEmpty()) {
                throw new ConfigException(where + ": " + f[0] + " must not be empty");
            }
        }
        if (a.id().contains("/") || a.key().contains("/") || a.key().contains("?")) {
            throw new ConfigException(where + ": id and key must not contain '/' or '?'");
        }
        for (ConfigSetting s : ConfigSetting.app()) {
            if (s.isInt()) {
                int v = (Integer) read(a, s.component());
                if (v < -1) {
                    throw new ConfigException(where + ": " + s.key() + " must be -1 (no limit) or more, got " + v);
                }
            }
        }
    }

    private static void range(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + v);
        }
    }

    // ---------------------------------------------------------------- reflection over the records

    private static Map<String, Object> appValues(AppConfig app) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigSetting s : ConfigSetting.app()) {
            values.put(s.key(), read(app, s.component()));
        }
        return values;
    }

    static Object read(Record r, String component) {
        try {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (c.getName().equals(component)) {
                    return c.getAccessor().invoke(r);
                }
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException(component);
    }

    private static <T extends Record> T construct(Class<T> type, List<ConfigSetting> settings, Map<String, Object> values) {
        Class<?>[] types = new Class<?>[settings.size()];
        Object[] args = new Object[settings.size()];
        for (int i = 0; i < settings.size(); i++) {
            types[i] = settings.get(i).type();
            args[i] = values.get(settings.get(i).key());
        }
        try {
            Constructor<T> c = type.getDeclaredConstructor(types);
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new ConfigException("Invalid configuration: " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- messages

    private static ConfigSetting find(List<ConfigSetting> settings, String key) {
        for (ConfigSetting s : settings) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static ConfigException unknown(String key, String where, List<ConfigSetting> settings) {
        List<String> names = settings.stream().map(ConfigSetting::key).toList();
        return new ConfigException("Unknown setting '" + key + "' in " + where + suggestion(key, names)
                + "; see --help or docs/configuration.md");
    }

    private static String suggestion(String key, java.util.Collection<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = distance(key.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = n;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }
}
