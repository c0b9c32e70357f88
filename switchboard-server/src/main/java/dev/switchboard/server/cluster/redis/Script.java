package dev.switchboard.server.cluster.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One Lua script from the resources beside this class, with the shared helpers in front, and its SHA-1. */
enum Script {
    JOIN, LEAVE, DROP_NODE_CHANNEL, PUT_NODE_CHANNEL, CHANNEL_STATS,
    SIGN_IN, SIGN_OUT, USER_CHANNEL, DROP_NODE_USER, PUT_NODE_USER, USER_SNAPSHOT, ERASE_USER, UPDATE_USER_INFO,
    KEEP_IF_OFFLINE, TAKE_INBOX, CONFIRM_HELD,
    WINDOW_APPEND, WINDOW_READ, WINDOW_HOLD, WINDOW_RELEASE, WINDOW_DROP_NODE, WINDOW_SETTLE,
    RESERVE, RELEASE, HEARTBEAT, LISTENERS, WEBHOOK_APPEND, WEBHOOK_ACK;

    final String source;
    final String sha;

    Script() {
        this.source = read("lib.lua") + "\n" + read(name().toLowerCase(java.util.Locale.ROOT) + ".lua");
        try {
            this.sha = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String file) {
        try (InputStream in = Script.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
