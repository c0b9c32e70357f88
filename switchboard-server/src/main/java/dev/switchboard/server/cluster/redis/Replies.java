package dev.switchboard.server.cluster.redis;

import java.util.ArrayList;
import java.util.List;

/** Reading the replies of the Lua scripts: arrays of integers, strings, nils and nested arrays. */
final class Replies {
    private Replies() {}

    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return reply == null ? List.of() : (List<Object>) reply;
    }

    static long num(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        return o == null ? 0 : Long.parseLong(o.toString());
    }

    static boolean flag(Object o) {
        return num(o) == 1;
    }

    /** The strings of a reply from index {@code from} on. */
    static List<String> strings(List<Object> reply, int from) {
        List<String> out = new ArrayList<>(Math.max(0, reply.size() - from));
        for (int i = from; i < reply.size(); i++) {
            out.add((String) reply.get(i));
        }
        return out;
    }

    /** A nested array of strings. */
    static List<String> strings(Object nested) {
        return strings(list(nested), 0);
    }
}
