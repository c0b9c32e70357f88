package dev.switchboard.server.config;

import java.util.List;

/**
 * One app's settings. Every limit is named here with Pusher's default (PROTOCOL.md §6.9); the same names,
 * in snake_case, are the keys of the config file and the suffixes of the environment variables
 * (see {@link ConfigLoader}).
 */
public record AppConfig(
        String id,
        String key,
        String secret,
        boolean enabled,
        /** Relay {@code client-*} events on private and presence channels (§4). */
        boolean enableClientMessages,
        /** Maximum simultaneous connections for the app; -1 for no limit. Over it: close 4004. */
        int maxConnections,
        /** "Authorized connections" (§5.6): close with 4009 sockets that neither sign in nor subscribe privately in time. */
        boolean requireAuthorizedConnections,
        int userAuthenticationTimeoutSeconds,
        /** Watchlist online/offline events (§5.10). */
        boolean enableWatchlistEvents,
        int maxWatchlistSize,
        /** Send {@code pusher_internal:subscription_count} to non-presence channels (§2.9). */
        boolean enableSubscriptionCount,
        /** Also send subscription counts on presence channels (the docs contradict each other, §2.9). */
        boolean subscriptionCountOnPresence,
        /** Also send a channel-scoped {@code pusher:subscription_error} for soketi migrants (§2.6). */
        boolean sendSubscriptionErrors,
        int maxPresenceMembers,
        int maxPresenceUserInfoBytes,
        int maxUserIdLength,
        int maxEventDataBytes,
        int maxChannelsPerTrigger,
        int maxBatchEvents,
        int maxEventNameLength,
        int maxChannelNameLength,
        int maxClientEventsPerSecond,
        /** Channels one connection may be subscribed to at once; one more gets a pusher:error. */
        int maxChannelsPerConnection,
        /** Signed HTTP API requests per second (token bucket, bursts of one second's worth); over it: 429. */
        int maxApiRequestsPerSecond,
        /** Signed-in connections one user may have at once, over the cluster; -1 for no limit. Over it: the sign-in is refused. */
        int maxConnectionsPerUser,
        /** Seconds a cache channel keeps its last event (Pusher: up to 30 minutes). */
        int cacheTtlSeconds,
        /** Seconds an event sent to an offline user waits for its next sign-in; 0 keeps nothing (Pusher's way). */
        int userInboxTtlSeconds,
        /** Most events kept per offline user; past it the oldest is dropped. */
        int userInboxMaxEvents,
        /** Seconds a signed-in user's place in a windowed channel is kept after its last connection there is lost; 0: off. */
        int channelResumeSeconds,
        /** Most recent events a windowed channel keeps for resumes (also bounded by channelResumeSeconds). */
        int channelResumeMaxEvents,
        /** Which channels keep a window, by name prefix ("private-orders-"); empty: none. */
        List<String> channelResumePrefixes,
        /** Browser origins that may connect ({@link AllowedOrigins}); empty: any. */
        List<String> allowedOrigins,
        List<WebhookConfig> webhooks) {

    public AppConfig {
        channelResumePrefixes = channelResumePrefixes == null ? List.of() : List.copyOf(channelResumePrefixes);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    /** The built-in default app, as soketi users know it. */
    public static AppConfig defaults(String id, String key, String secret) {
        return new AppConfig(id, key, secret, true, true, -1, false, 30, true, 100, false, false, false,
                100, 1024, 128, 10 * 1024, 100, 10, 200, 164, 10, 1000, -1, -1, 1800, 0, 100, 0, 100, List.of(), List.of(), List.of());
    }

    /** Without the secret, so that an app logged by mistake leaks nothing. */
    @Override
    public String toString() {
        return "AppConfig[id=" + id + ", key=" + key + ", enabled=" + enabled + ", webhooks=" + webhooks.size() + "]";
    }

    /**
     * Whether {@code channel} keeps a window of recent events for resumes (docs/users.md, "Channel resume"): resume
     * on and the name under one of the prefixes. Server-to-user channels never do (the inbox covers them).
     */
    public boolean keepsWindow(String channel) {
        if (channelResumeSeconds <= 0 || channel.startsWith("#")) {
            return false;
        }
        for (String prefix : channelResumePrefixes) {
            if (channel.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    public AppConfig withWebhooks(List<WebhookConfig> hooks) {
        return with("webhooks", hooks);
    }

    /** A copy with one setting changed, by its file key ({@code "allowed_origins"}). */
    public AppConfig with(String key, Object value) {
        return ConfigRecords.copyWith(this, ConfigSetting.app(), key, value);
    }
}
