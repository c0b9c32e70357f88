package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Pusher client on one WebSocket. Delivered bench events take the fast path (a byte scan, no
 * String, no JSON); the rare control frames (connection_established, signin_success,
 * subscription_succeeded, errors, pings) are decoded normally. Every method runs on the channel's event
 * loop.
 */
final class PusherClient extends ChannelInboundHandlerAdapter {
    /** Told about a client's progress; called on the client's event loop. */
    interface Listener {
        void ready(PusherClient client);

        void failed(PusherClient client, String reason);

        void closed(PusherClient client);

        /** A subscription the client asked for after it was ready (presence churn) succeeded. */
        default void subscribed(PusherClient client, String channel) {}
    }

    private final ClientSpec spec;
    private final String key;
    private final String secret;
    private final LoopStats stats;
    private final Listener listener;
    private final SeqSet seqs = new SeqSet();
    private Channel channel;
    private String socketId;
    private boolean signedIn;
    private boolean userChannelSubscribed;
    private boolean subscribed;
    private boolean ready;
    private boolean done;

    PusherClient(ClientSpec spec, String key, String secret, LoopStats stats, Listener listener) {
        this.spec = spec;
        this.key = key;
        this.secret = secret;
        this.stats = stats;
        this.listener = listener;
    }

    ClientSpec spec() {
        return spec;
    }

    String socketId() {
        return socketId;
    }

    Channel channel() {
        return channel;
    }

    LoopStats stats() {
        return stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail("websocket handshake timeout");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof TextWebSocketFrame)) {
                return; // pongs are dropped by the protocol handler, pings answered by it
            }
            ByteBuf b = ((TextWebSocketFrame) msg).content();
            int at = FrameScan.indexOf(b, FrameScan.BT, b.readerIndex());
            if (at >= 0) {
                stats.onDelivery(b, at, seqs);
                return;
            }
            boolean added = FrameScan.contains(b, FrameScan.MEMBER_ADDED);
            if (added || FrameScan.contains(b, FrameScan.MEMBER_REMOVED)) {
                if (spec.countMembers) {
                    stats.members.lazySet(stats.members.get() + 1);
                }
                if (spec.presenceUserId != null) {
                    // only the spec's channel is a presence channel this client is in (churners have no spec channel)
                    stats.known.lazySet(stats.known.get() + (added ? 1 : -1));
                }
                return; // churners see each other's joins too; only observers count them
            }
            control(b.toString(StandardCharsets.UTF_8));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void control(String text) {
        JsonNode frame = WireCodec.parse(text);
        String event = frame.path("event").asText("");
        switch (event) {
            case "pusher:connection_established":
                socketId = data(frame).path("socket_id").asText(null);
                if (socketId == null) {
                    fail("no socket_id in " + text);
                    return;
                }
                advance();
                break;
            case "pusher:signin_success":
                signedIn = true;
                advance();
                break;
            case "pusher_internal:subscription_succeeded":
                String ch = frame.path("channel").asText("");
                if (spec.userId != null && ch.equals("#server-to-user-" + spec.userId)) {
                    userChannelSubscribed = true;
                } else if (ready) {
                    listener.subscribed(this, ch);
                    return;
                } else {
                    subscribed = true;
                    if (spec.presenceUserId != null) {
                        int roster = data(frame).path("presence").path("count").asInt(0);
                        stats.known.lazySet(stats.known.get() + roster);
                    }
                }
                advance();
                break;
            case "pusher:ping":
                send("{\"event\":\"pusher:pong\",\"data\":{}}");
                break;
            case "pusher:error":
                stats.onError();
                if (!ready) {
                    fail("pusher:error " + text);
                }
                break;
            default:
                break; // pusher:cache_miss, subscription_count and the like
        }
    }

    private static JsonNode data(JsonNode frame) {
        JsonNode d = frame.path("data");
        return d.isTextual() ? WireCodec.parse(d.asText()) : d;
    }

    /** The next step of the connection set-up: sign in, the user channel, the channel, then ready. */
    private void advance() {
        if (spec.userId != null && !signedIn) {
            String userData = "{\"id\":\"" + spec.userId + "\"}";
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("auth", Signatures.auth(key, secret, Signatures.userString(socketId, userData)));
            data.put("user_data", userData);
            send(message("pusher:signin", data));
            return;
        }
        if (spec.userId != null && !userChannelSubscribed) {
            subscribe("#server-to-user-" + spec.userId, null);
            return;
        }
        if (spec.channel != null && !subscribed) {
            subscribe(spec.channel, spec.presenceUserId);
            return;
        }
        if (!ready) {
            ready = true;
            listener.ready(this);
        }
    }

    /** Subscribes; with a presence user id, signs {@code channel_data} as an app's auth endpoint would. */
    void subscribe(String name, String presenceUserId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", name);
        if (presenceUserId != null) {
            String channelData = "{\"user_id\":\"" + presenceUserId + "\"}";
            data.put("auth", Signatures.auth(key, secret, Signatures.presenceString(socketId, name, channelData)));
            data.put("channel_data", channelData);
        } else if (name.startsWith("private-")) {
            data.put("auth", Signatures.auth(key, secret, Signatures.channelString(socketId, name)));
        } else {
            data.put("auth", "");
        }
        send(message("pusher:subscribe", data));
    }

    void unsubscribe(String name) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", name);
        send(message("pusher:unsubscribe", data));
    }

    private static String message(String event, Map<String, Object> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.put("data", data);
        return WireCodec.write(m);
    }

    private void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    private void fail(String reason) {
        if (!done && !ready) {
            done = true;
            listener.failed(this, reason);
        }
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!ready && !done) {
            done = true;
            listener.failed(this, "closed during set-up");
        } else if (ready) {
            listener.closed(this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
