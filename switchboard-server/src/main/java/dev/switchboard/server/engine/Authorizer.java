package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.server.config.AppConfig;

/**
 * Every signature a client shows (PROTOCOL.md §2.3 private and presence subscriptions, §5.3 sign-in) is checked
 * here, against the app's key and secret, with the wording pusher-js and Pusher use: what a developer needs to fix
 * an auth endpoint. Pure: no state, no I/O; the comparisons are constant-time ({@link Signatures}).
 */
final class Authorizer {
    /** How much of a string to sign, and of a wrong signature, an invalid-signature error quotes. */
    static final int SIGNED_STRING_QUOTE_LIMIT = 1024;
    static final int SIGNATURE_QUOTE_LIMIT = 64;

    private Authorizer() {}

    /**
     * Null when {@code auth} is the app's signature of the subscription of socket {@code socketId} to {@code name}
     * (with {@code channelData} on presence, when given); else why not.
     */
    static String subscription(AppConfig app, String socketId, ChannelName name, String auth, String channelData) {
        String channel = name.value();
        if (!Signatures.isWellFormedAuth(auth)) {
            return "Auth value for subscription to " + Names.quote(channel)
                    + " is invalid: should be of format 'key:signature'";
        }
        String key = auth.substring(0, auth.indexOf(':'));
        if (!Signatures.matches(app.key(), key)) {
            return "Invalid key in subscription auth to " + Names.quote(channel) + ": " + Names.quote(key);
        }
        String toSign = name.isPresence() && channelData != null
                ? Signatures.presenceString(socketId, channel, channelData)
                : Signatures.channelString(socketId, channel);
        return Signatures.verifyAuth(auth, app.key(), app.secret(), toSign) ? null : invalidSignature(toSign, auth);
    }

    /** Null when {@code auth} is the app's signature of socket {@code socketId}'s {@code userData}; else why not. */
    static String signIn(AppConfig app, String socketId, String auth, String userData) {
        if (!Signatures.isWellFormedAuth(auth)) {
            return "Invalid format: auth must have the format key:signature";
        }
        String key = auth.substring(0, auth.indexOf(':'));
        if (!Signatures.matches(app.key(), key)) {
            return "Invalid key in sign-in auth: " + Names.quote(key);
        }
        String toSign = Signatures.userString(socketId, userData);
        return Signatures.verifyAuth(auth, app.key(), app.secret(), toSign) ? null : invalidSignature(toSign, auth);
    }

    /**
     * pusher-js's and Pusher's wording, with the exact string to sign. The channel in it has passed the length
     * check; the channel_data and the signature the client sent have not, so the string is quoted up to
     * {@link #SIGNED_STRING_QUOTE_LIMIT} (far beyond real channel_data) and the signature, a 64-digit hex digest
     * when well-formed, up to the usual name limit.
     */
    private static String invalidSignature(String toSign, String auth) {
        return "Invalid signature: Expected HMAC SHA256 hex digest of " + Names.quote(toSign, SIGNED_STRING_QUOTE_LIMIT)
                + ", but got " + Names.quote(auth.substring(auth.indexOf(':') + 1), SIGNATURE_QUOTE_LIMIT);
    }
}
