package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators for the fuzz properties: Pusher client frames built from the protocol's own vocabulary (events,
 * channel prefixes, auth shapes, double-encoded data), then often mutated at the character level, and plain
 * random text. Valid frames are generated too, so that the mutations start from something the server would
 * otherwise accept. Built by hand from jqwik's {@link Random} (so a seed still reproduces a run): composed
 * jqwik combinators cost milliseconds per value, and the fuzz profile draws 10^6.
 */
public final class FuzzFrames {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> EVENTS = List.of("pusher:subscribe", "pusher:unsubscribe", "pusher:ping",
            "pusher:pong", "pusher:signin", "client-move", "client-", "pusher:error", "pusher_internal:member_added",
            "pusher:cache_miss", "", "event");
    private static final List<String> PREFIXES = List.of("", "private-", "presence-", "private-encrypted-",
            "cache-", "private-cache-", "presence-cache-", "#server-to-user-", "#", "private-encrypted-cache-");
    private static final String NAME_CHARS = "abcxyz019-_=@,.;";
    private static final String HEX = "0123456789abcdef";
    private static final char[] SPECIALS = {'"', '{', '}', '[', ']', ':', ',', '\\', '\u0000', 'é', '\uD83D', '0', ' '};

    private FuzzFrames() {}

    /** Everything a client might send as one text frame, well-formed or not. */
    public static Arbitrary<String> anyText() {
        return Arbitraries.randomValue(FuzzFrames::anyText);
    }

    public static Arbitrary<String> channelNames() {
        return Arbitraries.randomValue(FuzzFrames::channelName);
    }

    /** Mutations of what {@code base} draws. */
    public static Arbitrary<String> mutationsOf(java.util.function.Function<Random, String> base) {
        return Arbitraries.randomValue(r -> mutate(r, base.apply(r)));
    }

    public static String anyText(Random r) {
        int kind = r.nextInt(10);
        if (kind < 5) {
            return pusherFrame(r);
        }
        if (kind < 9) {
            return mutate(r, pusherFrame(r));
        }
        return randomString(r, 300);
    }

    /** Any characters, including control characters, surrogates and the JSON punctuation. */
    public static String randomString(Random r, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            if (k < 5) {
                b.append((char) (0x20 + r.nextInt(0x5f)));
            } else if (k < 7) {
                b.append(SPECIALS[r.nextInt(SPECIALS.length)]);
            } else if (k < 9) {
                b.append((char) r.nextInt(0x20));
            } else {
                b.append((char) r.nextInt(0x10000));
            }
        }
        return b.toString();
    }

    static String fromChars(Random r, String chars, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString();
    }

    public static String channelName(Random r) {
        String prefix = PREFIXES.get(r.nextInt(PREFIXES.size()));
        int k = r.nextInt(9);
        String tail = k < 6 ? fromChars(r, NAME_CHARS, 0, 20) : k < 8 ? randomString(r, 20) : fromChars(r, "ab", 150, 260);
        return prefix + tail;
    }

    static String auth(Random r) {
        switch (r.nextInt(4)) {
            case 0: return "";
            case 1: return randomString(r, 80);
            case 2: return "app-key:" + fromChars(r, HEX, 64, 64);
            default: return "other:" + fromChars(r, HEX, 0, 70);
        }
    }

    static JsonNode scalar(Random r) {
        switch (r.nextInt(7)) {
            case 0: return JSON.textNode(randomString(r, 40));
            case 1: return JSON.numberNode(r.nextInt());
            case 2: return JSON.numberNode(r.nextDouble() * 1e6);
            case 3: return JSON.nullNode();
            case 4: return JSON.booleanNode(r.nextBoolean());
            case 5: return JSON.arrayNode().add(randomString(r, 5));
            default: return JSON.objectNode();
        }
    }

    /** {@code channel_data} and {@code user_data}: a JSON string holding an object, or something that is not. */
    static JsonNode embeddedUser(Random r) {
        if (r.nextInt(4) == 0) {
            return scalar(r);
        }
        ObjectNode o = JSON.objectNode();
        JsonNode id = r.nextBoolean() ? JSON.textNode(fromChars(r, NAME_CHARS, 0, 140)) : scalar(r);
        if (r.nextInt(5) > 0) o.set("user_id", id);
        if (r.nextInt(5) > 0) o.set("id", id);
        if (r.nextBoolean()) o.set("user_info", r.nextBoolean() ? scalar(r) : JSON.objectNode().put("name", randomString(r, 20)));
        if (r.nextInt(3) == 0) {
            var watch = o.putArray("watchlist");
            for (int i = r.nextInt(5); i > 0; i--) {
                watch.add(fromChars(r, NAME_CHARS, 0, 10));
            }
        }
        return JSON.textNode(o.toString());
    }

    static JsonNode data(Random r) {
        ObjectNode d = JSON.objectNode();
        if (r.nextInt(6) > 0) d.set("channel", r.nextInt(5) > 0 ? JSON.textNode(channelName(r)) : scalar(r));
        if (r.nextBoolean()) d.set("auth", r.nextInt(5) > 0 ? JSON.textNode(auth(r)) : scalar(r));
        if (r.nextInt(3) == 0) d.set("channel_data", embeddedUser(r));
        if (r.nextInt(3) == 0) d.set("user_data", embeddedUser(r));
        switch (r.nextInt(6)) {
            case 0: return JSON.textNode(d.toString()); // double-encoded, as some older clients send it
            case 1: return scalar(r);
            default: return d;
        }
    }

    /** A frame shaped like the protocol's: an event, data (object, double-encoded string or other), a channel. */
    public static String pusherFrame(Random r) {
        ObjectNode f = JSON.objectNode();
        int e = r.nextInt(10);
        f.put("event", e < 7 ? EVENTS.get(r.nextInt(EVENTS.size())) : e < 9 ? "client-" + randomString(r, 20)
                : randomString(r, 30));
        if (r.nextInt(6) > 0) f.set("data", data(r));
        if (r.nextBoolean()) f.set("channel", r.nextInt(5) > 0 ? JSON.textNode(channelName(r)) : scalar(r));
        return f.toString();
    }

    /** One to three character-level edits: delete, insert, replace, duplicate a slice, truncate. */
    public static String mutate(Random r, String text) {
        String s = text;
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            int i = r.nextInt(s.length() + 1);
            int j = Math.min(s.length(), i + r.nextInt(9));
            char ch = SPECIALS[r.nextInt(SPECIALS.length)];
            switch (r.nextInt(5)) {
                case 0: s = s.substring(0, i) + s.substring(j); break;
                case 1: s = s.substring(0, i) + ch + s.substring(i); break;
                case 2: s = i < s.length() ? s.substring(0, i) + ch + s.substring(i + 1) : s + ch; break;
                case 3: s = s.substring(0, j) + s.substring(i, j) + s.substring(j); break;
                default: s = s.substring(0, i);
            }
        }
        return s;
    }
}
