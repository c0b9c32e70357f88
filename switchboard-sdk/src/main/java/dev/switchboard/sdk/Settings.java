package dev.switchboard.sdk;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Everything a client was built with. Holds the secret and the encryption master key, so {@link #toString()}
 * leaves both out.
 */
record Settings(
        String appId,
        String key,
        String secret,
        boolean useTls,
        String host,
        int port,
        /** Prefix before {@code /apps/…}, without a trailing slash; "" for none. */
        String basePath,
        Duration connectTimeout,
        Duration requestTimeout,
        /** 32 bytes, or null when no encrypted channels are used. */
        byte[] masterKey,
        int maxEventDataBytes,
        Clock clock,
        /** Supplied by the app, or null to build one. */
        HttpClient httpClient,
        /** Runs the HTTP client's callbacks; null for the JDK default. */
        Executor executor) {

    /** {@code scheme://host:port}, an IPv6 host in brackets. */
    String origin() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return (useTls ? "https" : "http") + "://" + h + ":" + port;
    }

    @Override
    public String toString() {
        return "Settings[appId=" + appId + ", key=" + key + ", secret=<hidden>, url=" + origin() + basePath
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", masterKey=" + (masterKey == null ? "none" : "<hidden>")
                + ", maxEventDataBytes=" + maxEventDataBytes + "]";
    }
}
