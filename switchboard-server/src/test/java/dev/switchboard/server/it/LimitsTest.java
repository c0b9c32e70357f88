package dev.switchboard.server.it;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.ClientFrames;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RawSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each limit of issue 12 against the real server: hit it, get the documented answer (HTTP 429 on the upgrade,
 * close 4100, a pusher:error, an HTTP 429 with a JSON body and Retry-After), see it counted in /metrics, and see
 * the other app and the other clients untouched. Two apps: {@code a} (limited) and {@code b}.
 */
class LimitsTest {
    static final String APPS = "[{\"id\":\"a\",\"key\":\"ka\",\"secret\":\"sa\",%s},"
            + "{\"id\":\"b\",\"key\":\"kb\",\"secret\":\"sb\"}]";
    static final HttpClient http = HttpClient.newHttpClient();

    Switchboard server;
    final List<RawSocket> sockets = new ArrayList<>();

    void start(String appALimits, String... flags) {
        List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--port=0", "--metrics-port=0", "--worker-threads=2",
                "--apps=" + String.format(APPS, appALimits.isEmpty() ? "\"enabled\":true" : appALimits)));
        args.addAll(List.of(flags));
        server = Switchboard.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
    }

    @AfterEach
    void stop() {
        sockets.forEach(RawSocket::close);
        if (server != null) {
            server.close();
        }
    }

    RawSocket open(String key) {
        RawSocket s = RawSocket.open(server.port(), key);
        sockets.add(s);
        return s;
    }

    /** A socket subscribed to a public channel, for checking that it still receives. */
    RawSocket subscribed(String key, String channel) {
        RawSocket s = open(key);
        s.socketId();
        s.send(ClientFrames.subscribe(channel, ""));
        eventually().until(() -> succeeded(s, channel));
        return s;
    }

    static boolean succeeded(RawSocket s, String channel) {
        return s.events("pusher_internal:subscription_succeeded").stream()
                .anyMatch(e -> channel.equals(e.path("channel").asText()));
    }

    static boolean received(RawSocket s, String event) {
        return !s.events(event).isEmpty();
    }

    // ---------------------------------------------------------------- new connections per client address

    @Test
    void newConnectionsPerAddressAreRefusedWith429OnTheUpgradeAndOtherAddressesAreNot() throws Exception {
        start("", "--max-connections-per-ip-per-second=3", "--trusted-proxies=127.0.0.1");
        RawSocket bystander = subscribed("kb", "news");

        Upgrade refused = floodUntilRefused(Map.of("X-Forwarded-For", "203.0.113.7"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Json.parse(refused.body()).get("error").asText())
                .isEqualTo("Too many new connections from this address (limit 3 per second)");
        assertThat(Long.parseLong(refused.header("retry-after"))).isPositive();
        assertThat(refused.header("content-type")).isEqualTo("application/json");

        // Another client behind the same proxy, and one that forged an entry left of what the proxy appended.
        assertThat(upgrade("ka", Map.of("X-Forwarded-For", "203.0.113.8")).status()).isEqualTo(101);
        assertThat(upgrade("ka", Map.of("X-Forwarded-For", "203.0.113.7, 198.51.100.20")).status()).isEqualTo(101);

        trigger("b", "sb", "news", "after-flood");
        eventually().until(() -> received(bystander, "after-flood"));
        assertThat(bystander.closeCode()).isNull();
        assertThat(server.edgeCounters().connectionsRateLimited.sum()).isPositive();
        assertThat(metrics()).containsPattern("switchboard_edge_connections_rate_limited_total [1-9]");
    }

    @Test
    void withoutATrustedProxyXForwardedForIsIgnored() throws Exception {
        start("", "--max-connections-per-ip-per-second=2");
        int[] n = {0};
        Upgrade refused = floodUntilRefused(() -> Map.of("X-Forwarded-For", "198.51.100." + (++n[0])));
        assertThat(refused.status()).isEqualTo(429);
    }

    /** Upgrades until one is refused; the bucket holds 2 or 3, so 40 tries leave room for a slow machine. */
    Upgrade floodUntilRefused(Map<String, String> headers) throws IOException {
        return floodUntilRefused(() -> headers);
    }

    Upgrade floodUntilRefused(java.util.function.Supplier<Map<String, String>> headers) throws IOException {
        for (int i = 0; i < 40; i++) {
            Upgrade u = upgrade("ka", headers.get());
            if (u.status() != 101) {
                return u;
            }
        }
        throw new AssertionError("40 upgrades in a row were accepted");
    }

    // ---------------------------------------------------------------- node-wide ceiling

    @Test
    void overTheNodeCeilingASocketIsClosedWith4100AndTheOthersStay() {
        start("", "--max-node-connections=2");
        RawSocket a = subscribed("ka", "room");
        RawSocket b = subscribed("kb", "room");

        RawSocket third = open("kb");
        assertThat(third.awaitCloseCode()).isEqualTo(4100);
        JsonNode error = third.awaitEvent("pusher:error");
        assertThat(Json.parse(error.get("data").toString()).get("code").asInt()).isEqualTo(4100);
        assertThat(third.events("pusher:connection_established")).isEmpty();
        assertThat(server.edgeCounters().overCapacityClosed.sum()).isEqualTo(1);

        trigger("a", "sa", "room", "still-a");
        trigger("b", "sb", "room", "still-b");
        eventually().until(() -> received(a, "still-a") && received(b, "still-b"));

        // A slot that is given back can be taken again.
        a.close();
        eventually().until(() -> server.openWebSockets() == 1);
        RawSocket next = open("ka");
        next.socketId();
        assertThat(next.closeCode()).isNull();
        assertThat(metrics()).contains("switchboard_edge_over_capacity_closed_total 1.0");
    }

    // ---------------------------------------------------------------- channels per connection

    @Test
    void aSubscribePastTheChannelLimitGetsAnErrorAndTheConnectionStays() {
        start("\"max_channels_per_connection\":2,\"send_subscription_errors\":true");
        RawSocket s = subscribed("ka", "one");
        s.send(ClientFrames.subscribe("two", ""));
        eventually().until(() -> succeeded(s, "two"));
        s.send(ClientFrames.subscribe("three", ""));
        JsonNode error = s.awaitEvent("pusher:error");
        assertThat(Json.parse(error.get("data").toString()).get("message").asText())
                .isEqualTo("Channel limit reached: a connection may subscribe to 2 channels");
        JsonNode channelError = s.awaitEvent("pusher:subscription_error");
        assertThat(channelError.get("channel").asText()).isEqualTo("three");
        assertThat(succeeded(s, "three")).isFalse();

        // The connection still works, another connection of the app may take the channel, and app b has its own
        // (default) limit.
        trigger("a", "sa", "one", "still-here");
        eventually().until(() -> received(s, "still-here"));
        RawSocket other = subscribed("ka", "three");
        RawSocket onB = subscribed("kb", "one");
        onB.send(ClientFrames.subscribe("two", ""));
        onB.send(ClientFrames.subscribe("three", ""));
        eventually().until(() -> succeeded(onB, "three"));

        // Leaving a channel frees its place.
        s.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"one\"}}");
        s.send(ClientFrames.subscribe("three", ""));
        eventually().until(() -> succeeded(s, "three"));
        assertThat(s.closeCode()).isNull();
        assertThat(other.closeCode()).isNull();
        assertThat(metrics()).contains("switchboard_channel_limit_refusals_total{app=\"a\"} 1.0")
                .contains("switchboard_channel_limit_refusals_total{app=\"b\"} 0.0");
    }

    // ---------------------------------------------------------------- HTTP API requests per app

    @Test
    void apiRequestsOverTheAppsRateGet429WithRetryAfterAndTheOtherAppIsServed() throws Exception {
        start("\"max_api_requests_per_second\":2");
        RawSocket listener = subscribed("ka", "feed");
        HttpResponse<String> refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            HttpResponse<String> r = trigger("a", "sa", "feed", "burst");
            if (r.statusCode() != 200) {
                refused = r;
            }
        }
        assertThat(refused).as("a 429 within 40 requests").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isPositive();
        assertThat(Json.parse(refused.body()).get("error").asText())
                .isEqualTo("Too many requests for app a (limit 2 per second)");

        for (int i = 0; i < 20; i++) {
            assertThat(trigger("b", "sb", "feed", "unlimited").statusCode()).isEqualTo(200);
        }
        // What got through was delivered, and the subscriber of the limited app is still connected.
        eventually().until(() -> received(listener, "burst"));
        assertThat(listener.closeCode()).isNull();
        assertThat(metrics()).containsPattern("switchboard_api_rate_limited_total\\{app=\"a\"} [1-9]")
                .contains("switchboard_api_rate_limited_total{app=\"b\"} 0.0")
                .containsPattern("switchboard_http_requests_total\\{app=\"a\",status=\"429\"} [1-9]");
    }

    // ---------------------------------------------------------------- helpers

    String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** POST /apps/{id}/events, signed as the SDKs sign it (PROTOCOL.md §6.2). */
    HttpResponse<String> trigger(String appId, String secret, String channel, String event) {
        String body = "{\"name\":\"" + event + "\",\"channels\":[\"" + channel + "\"],\"data\":\"{}\"}";
        String path = "/apps/" + appId + "/events";
        Map<String, String> q = new TreeMap<>();
        q.put("auth_key", appId.equals("a") ? "ka" : "kb");
        q.put("auth_timestamp", Long.toString(System.currentTimeMillis() / 1000));
        q.put("auth_version", "1.0");
        q.put("body_md5", Signatures.md5Hex(body.getBytes(StandardCharsets.UTF_8)));
        StringBuilder query = new StringBuilder();
        q.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(k).append('=').append(v));
        String signature = Signatures.hmacSha256Hex(secret, "POST\n" + path + "\n" + query);
        URI uri = URI.create("http://127.0.0.1:" + server.port() + path + "?" + query + "&auth_signature=" + signature);
        try {
            return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    record Upgrade(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A WebSocket upgrade by hand, with extra headers; the socket is closed once the answer's head is read. */
    Upgrade upgrade(String key, Map<String, String> extra) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(5_000);
            StringBuilder req = new StringBuilder("GET /app/" + key + RawSocket.PUSHER_JS_QUERY + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n");
            extra.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String[] lines = readHead(in).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String body = "";
            if (status != 101 && headers.containsKey("content-length")) {
                body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
            }
            return new Upgrade(status, headers, body);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF in the answer's head: " + b);
            }
            b.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
