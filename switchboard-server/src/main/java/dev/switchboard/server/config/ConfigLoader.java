package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    static final String OPT_NO_DASHBOARD = "--no-dashboard";

    private final List<ConfigSetting> serverSettings = ConfigSetting.server();
    private final List<ConfigSetting> appSettings = ConfigSetting.app();
    private final Map<String, Object> server = new LinkedHashMap<>();
    private final List<Map<String, Object>> apps = new ArrayList<>();
    private final Consumer<String> warnings;
    /** Whether any source named apps; if none did and apps come from a database, there is no default app. */
    private boolean appsConfigured;

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
            server.put(s.key(), ConfigRecords.read(defaults, s.component()));
        }
        for (AppConfig app : defaults.apps()) {
            apps.add(ConfigRecords.appValues(app));
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
        if (SoketiEnv.present(env)) {
            // soketi's variables stand for ours, under any of ours set as well (SoketiEnv).
            SoketiEnv.Translation soketi = SoketiEnv.translate(env);
            Map<String, String> merged = new LinkedHashMap<>(soketi.env());
            merged.putAll(env);
            env = merged;
            if (soketi.warning() != null) {
                warnings.accept(soketi.warning());
            }
        }
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
        spec.addOption(OptionSpec.builder(OPT_NO_DASHBOARD).arity("0").type(boolean.class)
                .description("Do not serve /dashboard (same as --dashboard-enabled=false).").build());
        spec.addOption(OptionSpec.builder(OPT_PRINT_DOCS).arity("0").type(boolean.class).hidden(true)
                .description("Print the settings table of docs/configuration.md and exit.").build());
        return spec;
    }

    /** The default of a setting as the docs show it. */
    public static String defaultText(ConfigSetting s) {
        ServerConfig d = ServerConfig.defaults();
        Object v = s.scope() == ConfigSetting.Scope.SERVER ? ConfigRecords.read(d, s.component())
                : ConfigRecords.read(d.apps().get(0), s.component());
        if (s.isList()) {
            return s.key().equals("apps") ? "one app: app-id / app-key / app-secret" : "[]";
        }
        return "".equals(v) ? "(empty)" : String.valueOf(v);
    }

    // ---------------------------------------------------------------- sources

    private void applyFile(Path file) {
        String where = "config file " + file;
        JsonNode root;
        try {
            root = ConfigValues.JSON.readTree(Files.readString(file));
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
            ConfigSetting s = SettingSuggestions.find(serverSettings, e.getKey());
            if (s == null) {
                throw SettingSuggestions.unknown(e.getKey(), where, serverSettings);
            }
            server.put(s.key(), ConfigValues.fromJson(s, e.getValue(), where));
        }
        if (root.has("apps")) {
            replaceApps(server.get("apps"));
        }
    }

    private void applyEnv(Map<String, String> env) {
        Map<String, ConfigSetting> byName = new LinkedHashMap<>();
        for (ConfigSetting s : ConfigSetting.all()) {
            byName.put(s.envVar(), s);
        }
        // Sorted, so that a run is reproducible whatever the map's order.
        for (String name : new TreeSet<>(env.keySet())) {
            if (!name.startsWith(ENV_PREFIX) || OTHER_ENV.contains(name)) {
                continue;
            }
            ConfigSetting s = byName.get(name);
            if (s == null) {
                // Not fatal: the environment is shared with other tools; but a typo must not pass unnoticed.
                warnings.accept("Ignoring unknown environment variable " + name
                        + SettingSuggestions.suggestion(name, byName.keySet()));
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
        if (parsed.hasMatchedOption(OPT_NO_DASHBOARD)) {
            server.put("dashboard_enabled", false);
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
            s = SettingSuggestions.find(appSettings, key.substring(4));
            if (s == null) {
                throw SettingSuggestions.unknown(key.substring(4), where + " (app setting)", appSettings);
            }
        } else {
            s = SettingSuggestions.find(serverSettings, key);
            if (s == null) {
                throw SettingSuggestions.unknown(key, where, serverSettings);
            }
        }
        set(s, value, where);
    }

    private void set(ConfigSetting s, String text, String where) {
        Object v = ConfigValues.fromText(s, text, where);
        if (s.scope() == ConfigSetting.Scope.SERVER) {
            server.put(s.key(), v);
            if (s.key().equals("apps")) {
                replaceApps(v);
            }
        } else {
            if (apps.isEmpty()) {
                apps.add(ConfigRecords.appValues(AppConfig.defaults("app-id", "app-key", "app-secret")));
            }
            apps.get(0).put(s.key(), v);
            appsConfigured = true;
        }
    }

    /**
     * A new {@code apps} list replaces the per-app maps too, so that later per-app settings (env, flags) land
     * on its first app rather than on the default one.
     */
    private void replaceApps(Object list) {
        apps.clear();
        appsConfigured = true;
        @SuppressWarnings("unchecked")
        List<AppConfig> built = (List<AppConfig>) list;
        for (AppConfig app : built) {
            apps.add(ConfigRecords.appValues(app));
        }
    }

    // ---------------------------------------------------------------- building

    private ServerConfig build() {
        Object from = server.get("apps_from");
        if (!appsConfigured && from instanceof String url && !url.isBlank()) {
            // The built-in app has a well-known secret: a node serving a database's apps must not also accept it.
            apps.clear();
        }
        List<AppConfig> built = new ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            AppConfig app = ConfigRecords.construct(AppConfig.class, appSettings, apps.get(i));
            ConfigValidator.validateApp(app, "app " + i + " (" + app.id() + ")");
            built.add(app);
        }
        server.put("apps", built);
        ServerConfig config = ConfigRecords.construct(ServerConfig.class, serverSettings, server);
        ConfigValidator.validate(config);
        return config;
    }

    /**
     * One app from outside the config (a database row): {@code values} by setting key, each an Integer, Boolean
     * or String (the webhooks as their JSON text); settings not given take their defaults. Checked as a config
     * app is; a {@link ConfigException} names {@code where}.
     */
    public static AppConfig appFrom(Map<String, Object> values, String where) {
        List<ConfigSetting> settings = ConfigSetting.app();
        Map<String, Object> merged = ConfigRecords.appValues(AppConfig.defaults("", "", ""));
        for (Map.Entry<String, Object> e : values.entrySet()) {
            ConfigSetting s = SettingSuggestions.find(settings, e.getKey());
            if (s == null) {
                throw SettingSuggestions.unknown(e.getKey(), where, settings);
            }
            Object v = e.getValue();
            if (v == null) {
                throw new ConfigException(where + ": " + s.key() + " is null");
            }
            boolean typed = s.isInt() ? v instanceof Integer : s.isBoolean() ? v instanceof Boolean : !s.isList() && v instanceof String;
            merged.put(s.key(), typed ? v : ConfigValues.fromText(s, v.toString(), where));
        }
        AppConfig app = ConfigRecords.construct(AppConfig.class, settings, merged);
        ConfigValidator.validateApp(app, where);
        return app;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }
}
