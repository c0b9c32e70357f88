package dev.switchboard.sdk;

/**
 * Who joins a presence channel: the member's user id and optional {@code user_info} (any value Jackson can
 * serialise; null for none). Becomes the signed {@code channel_data} {@code {"user_id":…,"user_info":…}}.
 */
public record PresenceData(String userId, Object userInfo) {

    public PresenceData {
        Checks.notNull(userId, "user id");
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("Presence user id must not be empty");
        }
    }

    public static PresenceData of(String userId) {
        return new PresenceData(userId, null);
    }
}
