package dev.switchboard.server.config;

import java.util.List;
import java.util.Map;

/**
 * One webhook target of an app (PROTOCOL.md §7): where to POST, which event types it wants (empty: all),
 * an optional channel-name prefix filter and extra headers.
 */
public record WebhookConfig(String url, List<String> eventTypes, String channelPrefix, Map<String, String> headers) {
    public WebhookConfig {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Header names only: their values are often tokens. */
    @Override
    public String toString() {
        return "WebhookConfig[url=" + url + ", eventTypes=" + eventTypes + ", channelPrefix=" + channelPrefix
                + ", headers=" + headers.keySet() + "]";
    }
}
