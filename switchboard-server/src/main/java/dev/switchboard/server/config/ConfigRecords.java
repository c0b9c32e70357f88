package dev.switchboard.server.config;

import dev.switchboard.server.config.ConfigLoader.ConfigException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and builds the config records by their components, so that the loader can hold settings as a plain
 * key → value map while it layers the sources and only builds the immutable records at the end.
 */
final class ConfigRecords {
    private ConfigRecords() {}

    /** The app's settings as a map keyed by setting name, to be overlaid by later sources. */
    static Map<String, Object> appValues(AppConfig app) {
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

    static <T extends Record> T construct(Class<T> type, List<ConfigSetting> settings, Map<String, Object> values) {
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
            // A record's compact constructor rejected a value: that is the user's config, not our bug.
            throw new ConfigException("Invalid configuration: " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of {@code r} with the setting {@code key} set to {@code value}; the record's checks run again. */
    static <T extends Record> T copyWith(T r, List<ConfigSetting> settings, String key, Object value) {
        Map<String, Object> values = new LinkedHashMap<>();
        boolean found = false;
        for (ConfigSetting s : settings) {
            found |= s.key().equals(key);
            values.put(s.key(), s.key().equals(key) ? value : read(r, s.component()));
        }
        if (!found) {
            throw new IllegalArgumentException("No setting " + key);
        }
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) r.getClass();
        return construct(type, settings, values);
    }
}
