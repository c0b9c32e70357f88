package dev.switchboard.server.testing;

import dev.switchboard.server.config.AppConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * The default app ({@code app-id}/{@code app-key}/{@code app-secret}) with some settings changed by record
 * component name; an unknown name fails, so a renamed setting cannot silently stop a test testing anything.
 */
public final class Apps {
    private Apps() {}

    public static AppConfig with(Map<String, Object> overrides) {
        return with(AppConfig.defaults("app-id", "app-key", "app-secret"), overrides);
    }

    /** {@code base} with some settings changed. */
    public static AppConfig with(AppConfig base, Map<String, Object> overrides) {
        try {
            RecordComponent[] components = AppConfig.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                String name = components[i].getName();
                types[i] = components[i].getType();
                values[i] = overrides.containsKey(name) ? overrides.get(name) : components[i].getAccessor().invoke(base);
            }
            for (String key : overrides.keySet()) {
                boolean known = false;
                for (RecordComponent c : components) {
                    known |= c.getName().equals(key);
                }
                if (!known) {
                    throw new IllegalArgumentException("No AppConfig setting " + key);
                }
            }
            Constructor<AppConfig> ctor = AppConfig.class.getDeclaredConstructor(types);
            return ctor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
