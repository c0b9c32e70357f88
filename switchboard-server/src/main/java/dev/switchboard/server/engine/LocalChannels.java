package dev.switchboard.server.engine;

import dev.switchboard.protocol.ChannelName;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels with subscribers on this node, for delivery. The first local subscriber of a channel tells the
 * broker this node is interested, the last one that it no longer is; both inside the channel's compute, so the
 * broker sees the changes of one channel in order.
 */
final class LocalChannels {
    private final String appId;
    private final Broker broker;
    private final ConcurrentHashMap<String, Channel> map = new ConcurrentHashMap<>();

    LocalChannels(String appId, Broker broker) {
        this.appId = appId;
        this.broker = broker;
    }

    /** Adds the socket; the stage completes when this node receives the channel's frames from everywhere. */
    CompletionStage<Void> add(Recipient c, ChannelName name) {
        Channel channel = map.compute(name.value(), (k, ch) -> {
            if (ch == null) {
                ch = new Channel(name, broker.interest(Topic.channel(appId, k), true));
            }
            ch.add(c);
            return ch;
        });
        return channel.ready();
    }

    void remove(Recipient c, ChannelName name) {
        map.computeIfPresent(name.value(), (k, ch) -> {
            ch.remove(c);
            if (ch.isEmpty()) {
                broker.interest(Topic.channel(appId, k), false);
                return null;
            }
            return ch;
        });
    }

    Channel get(String channel) {
        return map.get(channel);
    }

    int size() {
        return map.size();
    }
}
