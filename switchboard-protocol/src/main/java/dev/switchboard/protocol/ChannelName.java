package dev.switchboard.protocol;

/**
 * A channel name with its type and cache flag. Classification uses anchored prefixes in the order of
 * PROTOCOL.md §2.1; validation follows §2.2 (allowed characters, {@code #} only for server-to-user).
 */
public record ChannelName(String value, ChannelType type, boolean cache) {

    public static final String SERVER_TO_USER_PREFIX = "#server-to-user-";
    /**
     * The allowed characters {@code [-a-zA-Z0-9_=@,.;]} as a table: every subscribe checks a name and every
     * sign-in a user id, and a regular expression cost more than the rest of the check (connect-path profile,
     * docs/performance.md).
     */
    private static final boolean[] ALLOWED = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            ALLOWED[c] = true;
            ALLOWED[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            ALLOWED[c] = true;
        }
        for (char c : "-_=@,.;".toCharArray()) {
            ALLOWED[c] = true;
        }
    }

    private static boolean allowedChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !ALLOWED[c]) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    public static ChannelName of(String name) {
        if (name.startsWith(SERVER_TO_USER_PREFIX)) {
            return new ChannelName(name, ChannelType.SERVER_TO_USER, false);
        }
        if (name.startsWith("private-encrypted-")) {
            return new ChannelName(name, ChannelType.PRIVATE_ENCRYPTED, name.startsWith("private-encrypted-cache-"));
        }
        if (name.startsWith("private-")) {
            return new ChannelName(name, ChannelType.PRIVATE, name.startsWith("private-cache-"));
        }
        if (name.startsWith("presence-")) {
            return new ChannelName(name, ChannelType.PRESENCE, name.startsWith("presence-cache-"));
        }
        return new ChannelName(name, ChannelType.PUBLIC, name.startsWith("cache-"));
    }

    /**
     * Why {@code name} is not acceptable, or {@code null} when it is; the reason quotes only a prefix of a long
     * name ({@link Names#quote}). {@code maxLength} applies to ordinary names; a server-to-user name needs a
     * non-empty user id of allowed characters.
     */
    public static String problem(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            return "Channel name is missing";
        }
        if (name.startsWith(SERVER_TO_USER_PREFIX)) {
            String user = name.substring(SERVER_TO_USER_PREFIX.length());
            return isValidUserId(user) ? null : "Invalid user id in channel name " + Names.quote(name);
        }
        if (name.length() > maxLength) {
            return "Channel name too long (over " + maxLength + " characters): " + Names.quote(name);
        }
        if (!allowedChars(name)) {
            return "Invalid channel name " + Names.quote(name);
        }
        return null;
    }

    /** User ids follow the channel-name alphabet (Pusher docs, "Authenticating users"). */
    public static boolean isValidUserId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 200 && allowedChars(id);
    }

    /** The user id of a {@code #server-to-user-} channel, or null for any other channel. */
    public String serverToUserId() {
        return type == ChannelType.SERVER_TO_USER ? value.substring(SERVER_TO_USER_PREFIX.length()) : null;
    }

    public boolean isPresence() { return type == ChannelType.PRESENCE; }

    @Override
    public String toString() { return value; }
}
