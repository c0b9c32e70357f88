package dev.switchboard.protocol;

/**
 * How an error message quotes a name, id or key that a client or an API caller sent. The value is echoed so the
 * sender can see which one was refused, but only a short prefix of it: a 60 KB channel name must not come back as a
 * 60 KB {@code pusher:error} or HTTP 400 (nor be copied into every log line that carries the message).
 */
public final class Names {
    /** Longest value quoted whole; longer ones are cut here (names are at most a few hundred characters). */
    public static final int QUOTE_LIMIT = 64;

    private Names() {}

    /** {@code value} itself when at most {@link #QUOTE_LIMIT} characters, else its prefix, "…" and its length. */
    public static String quote(String value) {
        return quote(value, QUOTE_LIMIT);
    }

    /**
     * {@code value} itself when at most {@code limit} characters (UTF-16 units, as {@link String#length()} and every
     * name limit count them), else its first {@code limit} characters, "…" and " (N characters)". A cut that would
     * split a surrogate pair is made one character earlier, so the result is always well-formed text.
     */
    public static String quote(String value, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        if (value == null) {
            return "null";
        }
        if (value.length() <= limit) {
            return value;
        }
        int cut = limit;
        if (Character.isHighSurrogate(value.charAt(cut - 1)) && Character.isLowSurrogate(value.charAt(cut))) {
            cut--;
        }
        return value.substring(0, cut) + "… (" + value.length() + " characters)";
    }
}
