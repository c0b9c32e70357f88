package dev.switchboard.server.api;

import dev.switchboard.protocol.Names;
import java.util.EnumSet;
import java.util.Set;

/** The channel attributes a caller may ask for with {@code info=a,b} (PROTOCOL.md §6.3, §6.5, §6.6). */
enum InfoAttribute {
    USER_COUNT("user_count"),
    SUBSCRIPTION_COUNT("subscription_count"),
    CACHE("cache");

    private final String wireName;

    InfoAttribute(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /**
     * Parses a comma list; blank items are ignored; an attribute outside {@code allowed} is a 400 naming it.
     * Null or blank input is the empty set.
     */
    static Set<InfoAttribute> parse(String list, Set<InfoAttribute> allowed) {
        Set<InfoAttribute> out = EnumSet.noneOf(InfoAttribute.class);
        if (list == null) {
            return out;
        }
        for (String item : list.split(",")) {
            String name = item.trim();
            if (name.isEmpty()) {
                continue;
            }
            InfoAttribute found = null;
            for (InfoAttribute a : allowed) {
                if (a.wireName.equals(name)) {
                    found = a;
                }
            }
            if (found == null) {
                throw ApiProblem.badRequest("Unsupported info attribute: " + Names.quote(name));
            }
            out.add(found);
        }
        return out;
    }
}
