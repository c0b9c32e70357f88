package dev.switchboard.server.config;

/**
 * The characters an app id or key may hold, the same rule for both, checked on the config's apps at start and on
 * every database row read. Pusher issues numeric ids and hex keys, soketi and Reverb ids like {@code app-id}, and
 * operators name tenants in their own scripts, so the rule refuses only what breaks somewhere, and keeps letters
 * of any script, digits and the other ASCII punctuation (quotes included) usable:
 * <ul>
 *   <li>{@code { }}: app ids sit inside Redis Cluster hash tags ({@code {c:<app>:<channel>}}), which a brace ends
 *       early, moving an app's keys into other slots;</li>
 *   <li>{@code :}: the separator after the app id in those keys; user ids may hold any character, so app
 *       {@code a:b} with user {@code c} and app {@code a} with user {@code b:c} would share keys;</li>
 *   <li>{@code / \ ? # %}: each ends or changes a URL path segment before the server sees it (browsers turn
 *       {@code \} into {@code /}; pusher-http-node puts the id into the path unencoded);</li>
 *   <li>{@code .} and {@code ..} alone: browsers resolve them as path steps;</li>
 *   <li>whitespace, control and invisible (format) characters, unassigned and private-use code points, lone
 *       surrogates: they make names that look equal and are not, and lines in logs that are not.</li>
 * </ul>
 * At most {@link #MAX_LENGTH} characters (the apps table's column). A name a client sends that breaks the rule is
 * unknown without a database query.
 */
public final class AppNames {
    public static final int MAX_LENGTH = 255;
    private static final String REFUSED_ASCII = "{}:/\\?#%";

    private AppNames() {}

    /** Null when {@code name} may be an app id or key, else why not, in words that do not repeat the name. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "has " + name.length() + " characters, more than " + MAX_LENGTH;
        }
        if (name.equals(".") || name.equals("..")) {
            return "must not be '.' or '..'";
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String why = refused(cp);
            if (why != null) {
                return "holds " + why + " at position " + i;
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** Whether {@code name} may be an app id or key. */
    public static boolean valid(String name) {
        return problem(name) == null;
    }

    private static String refused(int cp) {
        if (cp < 0x80) {
            if (cp <= 0x20 || cp == 0x7F) {
                return cp == ' ' ? "a space" : String.format("the control character U+%04X", cp);
            }
            return REFUSED_ASCII.indexOf(cp) >= 0 ? "'" + (char) cp + "'" : null;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL: case Character.FORMAT: case Character.SPACE_SEPARATOR:
            case Character.LINE_SEPARATOR: case Character.PARAGRAPH_SEPARATOR: case Character.SURROGATE:
            case Character.UNASSIGNED: case Character.PRIVATE_USE:
                return String.format("U+%04X (whitespace, invisible, unassigned or private-use)", cp);
            default:
                return null;
        }
    }

    /**
     * {@code name} as a message may show it: quoted, invisible and control characters as U+XXXX escapes, cut at
     * 80 characters, so that a bad name read from a database cannot forge a log line.
     */
    public static String shown(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < name.length() && i < 80; ) {
            int cp = name.codePointAt(i);
            int type = Character.getType(cp);
            if (cp < 0x20 || cp == 0x7F || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                b.append(String.format("\\u%04X", cp));
            } else {
                b.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return b.append(name.length() > 80 ? "'… (" + name.length() + " characters)" : "'").toString();
    }

    /** The characters refused, as the docs and messages list them. */
    public static String rule() {
        return "letters of any script, digits and ASCII punctuation except { } : / \\ ? # %, no whitespace or"
                + " control characters, not '.' or '..', 1 to " + MAX_LENGTH + " characters";
    }
}
