package dev.switchboard.server.config;

import dev.switchboard.server.config.ConfigLoader.ConfigException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Finds settings by name and words the "did you mean" hint for a name that matches none. */
final class SettingSuggestions {
    private SettingSuggestions() {}

    /** The setting named {@code key}, or null. */
    static ConfigSetting find(List<ConfigSetting> settings, String key) {
        for (ConfigSetting s : settings) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    static ConfigException unknown(String key, String where, List<ConfigSetting> settings) {
        List<String> names = settings.stream().map(ConfigSetting::key).toList();
        return new ConfigException("Unknown setting '" + key + "' in " + where + suggestion(key, names)
                + "; see --help or docs/configuration.md");
    }

    /** {@code " (did you mean 'x'?)"} for the closest name, or "" when none is close enough to be a typo. */
    static String suggestion(String key, Collection<String> names) {
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

    /** Levenshtein distance, two rows at a time. */
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
}
