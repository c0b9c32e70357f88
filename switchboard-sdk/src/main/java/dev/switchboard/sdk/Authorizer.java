package dev.switchboard.sdk;

import dev.switchboard.protocol.Signatures;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the JSON answers of an app's auth endpoints (PROTOCOL.md §3, §5.9): channel authorization for
 * {@code /pusher/auth} and user authentication for {@code /pusher/user-auth}. The signed strings are
 * embedded exactly as signed; pure functions, no I/O.
 */
final class Authorizer {
    private final String key;
    private final String secret;
    private final byte[] masterKey;

    Authorizer(String key, String secret, byte[] masterKey) {
        this.key = key;
        this.secret = secret;
        this.masterKey = masterKey;
    }

    /**
     * {@code {"auth":"key:sig"}} for private channels and presence without member data (§3.4),
     * {@code {"channel_data":…,"auth":…}} for presence with data, plus {@code shared_secret} for encrypted
     * channels.
     */
    String authorizeChannel(String socketId, String channel, PresenceData presence) {
        Checks.socketId(socketId);
        Checks.channel(channel);
        if (channel.startsWith("#")) {
            throw new IllegalArgumentException("Server-to-user channels are not authorized by the app: " + channel);
        }
        Map<String, String> answer = new LinkedHashMap<>();
        if (presence != null) {
            if (!Checks.isPresence(channel)) {
                throw new IllegalArgumentException("Presence data given for a channel that is not a presence channel: "
                        + channel);
            }
            String channelData = channelData(presence);
            // Field order as pusher-http-node builds it, so the answer is byte-identical to the Node SDK's.
            answer.put("channel_data", channelData);
            answer.put("auth", Signatures.auth(key, secret, Signatures.presenceString(socketId, channel, channelData)));
        } else {
            answer.put("auth", Signatures.auth(key, secret, Signatures.channelString(socketId, channel)));
        }
        if (Checks.isEncrypted(channel)) {
            answer.put("shared_secret", sharedSecret(channel));
        }
        return Json.write(answer);
    }

    /** {@code {"auth":"key:sig","user_data":"<the signed JSON text>"}} (§5.9). */
    String authenticateUser(String socketId, UserData user) {
        Checks.socketId(socketId);
        Checks.notNull(user, "user data");
        String userData = userData(user);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("auth", Signatures.auth(key, secret, Signatures.userString(socketId, userData)));
        answer.put("user_data", userData);
        return Json.write(answer);
    }

    /** base64(SHA-256(channel ‖ master key)), padded (§3.3). */
    String sharedSecret(String channel) {
        if (!Checks.isEncrypted(channel)) {
            throw new IllegalArgumentException("Not a private-encrypted- channel: " + channel);
        }
        if (masterKey == null) {
            throw new IllegalStateException("Encrypted channels need encryptionMasterKeyBase64 in the client's builder");
        }
        return Signatures.sharedSecret(channel, masterKey);
    }

    static String channelData(PresenceData presence) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id", presence.userId());
        if (presence.userInfo() != null) {
            data.put("user_info", presence.userInfo());
        }
        return Json.write(data);
    }

    static String userData(UserData user) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", user.id());
        if (user.userInfo() != null) {
            data.put("user_info", user.userInfo());
        }
        if (user.watchlist() != null) {
            data.put("watchlist", user.watchlist());
        }
        return Json.write(data);
    }

    @Override
    public String toString() {
        return "Authorizer[key=" + key + "]";
    }
}
