package dev.switchboard.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.UserAuthenticator;
import com.pusher.rest.Pusher;
import com.pusher.rest.SignatureUtil;
import com.pusher.rest.data.PresenceUser;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an app's own auth endpoints would answer (PROTOCOL.md §3.6), computed in-process with the official
 * server SDK instead of over HTTP: channel auth from pusher-http-java's {@code authenticate}, user auth
 * from its {@code SignatureUtil}. Independent of Switchboard's own {@code Signatures}.
 */
public final class AppAuth {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String key;
    private final String secret;
    private final Pusher sdk;

    /** {@code masterKeyBase64}: the app's end-to-end encryption master key (32 bytes), for encrypted channels. */
    public AppAuth(String appId, String key, String secret, String masterKeyBase64) {
        this.key = key;
        this.secret = secret;
        this.sdk = new Pusher(appId, key, secret, masterKeyBase64);
    }

    /**
     * Authorizes private channels, encrypted ones with their {@code shared_secret}, and presence channels as
     * {@code member}.
     */
    public ChannelAuthorizer channels(PresenceUser member) {
        return (channelName, socketId) -> channelName.startsWith("presence-")
                ? sdk.authenticate(socketId, channelName, member)
                : sdk.authenticate(socketId, channelName);
    }

    /** Answers every channel with a well-formed auth value whose signature is wrong. */
    public ChannelAuthorizer wrongSignature() {
        return (channelName, socketId) -> json(Map.of("auth", key + ":" + "0".repeat(64)));
    }

    /** Signs in as the user described by {@code userData} (an object with a string {@code id}). */
    public UserAuthenticator user(Map<String, Object> userData) {
        String userDataJson = json(userData);
        return socketId -> {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("auth", key + ":" + SignatureUtil.sign(socketId + "::user::" + userDataJson, secret));
            response.put("user_data", userDataJson);
            return json(response);
        };
    }

    /** Signs {@code userData} with another secret: a well-formed sign-in the server must refuse. */
    public UserAuthenticator userWithWrongSignature(String id) {
        String userDataJson = json(Map.of("id", id));
        return socketId -> json(Map.of(
                "auth", key + ":" + SignatureUtil.sign(socketId + "::user::" + userDataJson, secret + "-wrong"),
                "user_data", userDataJson));
    }

    /** A user with an id and a user_info object holding a name. */
    public UserAuthenticator user(String id, String name) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("user_info", Map.of("name", name));
        return user(data);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
