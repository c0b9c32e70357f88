package dev.switchboard.server.engine;

/**
 * What the HTTP API reports about one channel. {@code userCount} is -1 for non-presence channels;
 * {@code cache} is null when the channel is not a cache channel or holds nothing.
 */
public record ChannelStats(boolean occupied, int subscriptionCount, int userCount, CachedEvent cache) {
    public static final ChannelStats VACANT = new ChannelStats(false, 0, -1, null);
}
