package dev.switchboard.demo;

import java.util.Locale;

/**
 * Who a browser signed in as, by name and role. The user id is derived from the name, so that the same person
 * signing in again (another tab, another browser) is the same Switchboard user.
 */
record Session(String userId, String name, Role role) {

    enum Role {
        CUSTOMER, KITCHEN, MODERATOR;

        static Role parse(String text) {
            try {
                return text == null ? CUSTOMER : valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** "Ann Lee" → "ann-lee"; null when nothing usable is left. */
    static String idFor(String name) {
        String id = name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return id.isEmpty() || id.length() > 40 ? null : id;
    }
}
