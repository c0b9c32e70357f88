package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import dev.switchboard.protocol.ChannelType;
import dev.switchboard.protocol.ClientMessage;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.Names;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.config.AppConfig;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Client events (PROTOCOL.md §4): whether a connection may send one, then the event to the channel's other
 * subscribers on every node, encoded once. One per app; the sender's own state (its channels, its rate) is
 * handed in by the {@link Connection}.
 */
final class ClientEvents {
    private final Broker broker;
    private final EngineListener listener;
    private final LongSupplier clock;

    ClientEvents(Broker broker, EngineListener listener, LongSupplier clock) {
        this.broker = broker;
        this.listener = listener;
        this.clock = clock;
    }

    /** The rate a connection of {@code app} may send client events at; made on its first one. */
    ClientEventLimiter limiter(AppConfig app) {
        return new ClientEventLimiter(app.maxClientEventsPerSecond(), clock);
    }

    /**
     * Relays the event from socket {@code socketId} of {@code app} (its settings as the connection opened);
     * {@code member}: the sender's presence member id in the channel, "" off presence, null when not subscribed.
     * Null when relayed, else the error the sender is told.
     */
    ServerMessage.Error relay(AppConfig app, String socketId, ClientMessage.ClientEvent e, String member,
                              ClientEventLimiter limiter) {
        String channel = e.channel();
        if (!app.enableClientMessages()) {
            return ServerMessage.Error.plain("Client events are not enabled for this app");
        }
        ChannelName name = ChannelName.of(channel);
        if (name.type() == ChannelType.PRIVATE_ENCRYPTED) {
            // A client cannot encrypt for the channel (only the app server holds the master key), and every
            // pusher-js member fetches the channel's key again for each event it cannot decrypt: relaying junk here
            // turns one sender into an auth-endpoint load on every member. Pusher refuses them too.
            return ServerMessage.Error.plain("Client events are not allowed on encrypted channels: " + Names.quote(channel));
        }
        if (!name.type().allowsClientEvents()) {
            return ServerMessage.Error.plain("Client events are only allowed on private and presence channels: "
                    + Names.quote(channel));
        }
        if (member == null) {
            return ServerMessage.Error.plain("Client event rejected: not subscribed to channel " + Names.quote(channel));
        }
        if (!limiter.tryAcquire()) {
            return new ServerMessage.Error(CloseCode.CLIENT_EVENT_REJECTED.code(), CloseCode.CLIENT_EVENT_REJECTED.text());
        }
        if (e.event().length() > app.maxEventNameLength()) {
            return ServerMessage.Error.plain("Client event name longer than " + app.maxEventNameLength() + " characters");
        }
        if (e.dataJson() != null && e.dataJson().getBytes(StandardCharsets.UTF_8).length > app.maxEventDataBytes()) {
            return ServerMessage.Error.plain("Client event data larger than " + app.maxEventDataBytes() + " bytes");
        }
        String senderId = member.isEmpty() ? null : member;
        Frame frame = Frame.of(new ServerMessage.ChannelEvent(e.event(), channel, e.dataJson(), senderId));
        broker.publish(Topic.channel(app.id(), channel), frame, socketId);
        listener.on(new EngineEvent.ClientEvent(app, channel, e.event(), e.dataJson(), socketId, senderId));
        listener.on(new EngineEvent.EventPublished(app, channel, e.event(), frame.size(),
                EngineEvent.Origin.CLIENT_EVENT));
        return null;
    }
}
