package dev.switchboard.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.Signatures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local HTTP API stand-in on a free port: verifies every request's signature and body_md5 the way
 * Switchboard does (PROTOCOL.md §6.2, with {@link Signatures}), records it, and answers with what the test
 * set. A request with a bad signature is answered 401 and recorded as such.
 */
final class FakeServer implements AutoCloseable {
    record Request(String method, String rawPath, String rawQuery, Map<String, String> params, String body,
                   String contentType, boolean signatureValid) {}

    record Reply(int status, String body) {}

    final String key;
    final String secret;
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Reply> replies = r -> new Reply(200, "{}");

    FakeServer(String key, String secret) throws IOException {
        this.key = key;
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void reply(int status, String body) {
        replies = r -> new Reply(status, body);
    }

    void reply(Function<Request, Reply> f) {
        replies = f;
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        byte[] bodyBytes = exchange.getRequestBody().readAllBytes();
        Map<String, String> params = new TreeMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        boolean valid = verify(method, rawPath, params, bodyBytes);
        Request request = new Request(method, rawPath, rawQuery, params, new String(bodyBytes, StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("Content-Type"), valid);
        requests.add(request);
        Reply reply = valid ? replies.apply(request) : new Reply(401, "{\"error\":\"Invalid signature\"}");
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private boolean verify(String method, String rawPath, Map<String, String> params, byte[] body) {
        if (!key.equals(params.get("auth_key")) || !"1.0".equals(params.get("auth_version"))) {
            return false;
        }
        if (body.length > 0 && !Signatures.md5Hex(body).equals(params.get("body_md5"))) {
            return false;
        }
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getKey().equals("auth_signature")) {
                continue;
            }
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(p.getKey()).append('=').append(p.getValue());
        }
        String expected = Signatures.hmacSha256Hex(secret, method + "\n" + rawPath + "\n" + query);
        return Signatures.matches(expected, params.get("auth_signature"));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
