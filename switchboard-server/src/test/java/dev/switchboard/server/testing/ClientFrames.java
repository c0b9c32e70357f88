package dev.switchboard.server.testing;

import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;

/**
 * The client messages the official clients send, signed as their auth endpoints would sign them, for tests
 * that hand text frames straight to a connection.
 */
public final class ClientFrames {
    private ClientFrames() {}

    public static String subscribe(String channel, String auth) {
        return "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"" + auth + "\",\"channel\":\"" + channel + "\"}}";
    }

    public static String subscribePrivate(AppConfig app, String socketId, String channel) {
        return subscribe(channel, Signatures.auth(app.key(), app.secret(), Signatures.channelString(socketId, channel)));
    }

    public static String subscribePresence(AppConfig app, String socketId, String channel, String channelData) {
        String auth = Signatures.auth(app.key(), app.secret(), Signatures.presenceString(socketId, channel, channelData));
        return "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"" + auth + "\",\"channel\":\"" + channel
                + "\",\"channel_data\":" + WireCodec.quote(channelData) + "}}";
    }

    public static String signin(AppConfig app, String socketId, String userData) {
        String auth = Signatures.auth(app.key(), app.secret(), Signatures.userString(socketId, userData));
        return "{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + auth + "\",\"user_data\":"
                + WireCodec.quote(userData) + "}}";
    }
}
