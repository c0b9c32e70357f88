package dev.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.sdk.UserData;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The demo's HTTP server: the page, its JSON endpoints, and the two auth endpoints pusher-js calls. Every
 * refusal is a 4xx with {@code {"error":"…"}}.
 */
final class DemoHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COOKIE = "demo_session";
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/demo.js", "demo.js", "/demo.css", "demo.css", "/favicon.svg", "favicon.svg",
            "/pusher.min.js", "pusher.min.js", "/pusher.min.js.map", "pusher.min.js.map");

    private final SwitchboardClient switchboard;
    private final Map<String, Object> clientConfig;
    private final Orders orders;
    private final Chat chat;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private HttpServer server;

    /** {@code clientConfig}: what the page needs to connect (app key, Switchboard's port). */
    DemoHttp(SwitchboardClient switchboard, Map<String, Object> clientConfig) {
        this.switchboard = switchboard;
        this.clientConfig = clientConfig;
        this.orders = new Orders(switchboard);
        this.chat = new Chat(switchboard);
    }

    int start(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            if ("GET".equals(method) && FILES.containsKey(path)) {
                file(x, FILES.get(path));
                return;
            }
            byte[] body = readBody(x);
            if (body == null) {
                send(x, 413, Map.of("error", "Body larger than " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            route(x, method, path, body);
        } catch (RuntimeException e) {
            System.err.println("demo: " + x.getRequestMethod() + " " + x.getRequestURI().getPath() + " failed: " + e);
            send(x, 500, Map.of("error", "Internal error: " + e.getMessage()));
        }
    }

    private void route(HttpExchange x, String method, String path, byte[] body) throws IOException {
        Session me = session(x);
        switch (method + " " + path) {
            case "GET /api/config" -> send(x, 200, clientConfig);
            case "GET /api/me" -> send(x, 200, me == null ? Map.of() : Map.of("user", user(me)));
            case "POST /api/login" -> login(x, body);
            case "POST /api/logout" -> {
                String id = cookie(x);
                if (id != null) {
                    sessions.remove(id);
                }
                x.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
                send(x, 200, Map.of("ok", true));
            }
            case "POST /pusher/user-auth" -> userAuth(x, me, form(body));
            case "POST /pusher/auth" -> channelAuth(x, me, form(body));
            case "GET /api/orders" -> {
                if (signedIn(x, me)) {
                    send(x, 200, Map.of("orders", me.role() == Session.Role.KITCHEN ? orders.all() : orders.of(me.userId())));
                }
            }
            case "POST /api/orders" -> {
                String item = text(body, "item");
                if (signedIn(x, me)) {
                    if (item == null || item.isBlank() || item.length() > 100) {
                        send(x, 400, Map.of("error", "item: 1 to 100 characters"));
                    } else {
                        send(x, 200, orders.place(me, item.strip()).json());
                    }
                }
            }
            case "POST /api/chat/messages" -> say(x, me, text(body, "text"));
            case "POST /api/chat/bans" -> ban(x, me, text(body, "user"));
            default -> {
                if ("POST".equals(method) && path.matches("/api/orders/\\d{1,9}/advance")) {
                    advance(x, me, Integer.parseInt(path.split("/")[3]));
                } else {
                    send(x, 404, Map.of("error", "Not found"));
                }
            }
        }
    }

    private void login(HttpExchange x, byte[] body) throws IOException {
        String name = text(body, "name");
        Session.Role role = Session.Role.parse(text(body, "role"));
        String id = name == null ? null : Session.idFor(name);
        if (id == null || role == null) {
            send(x, 400, Map.of("error", "A name (letters or digits, up to 40) and a role (customer, kitchen, moderator)"));
            return;
        }
        Session s = new Session(id, name.strip(), role);
        String sid = randomId();
        sessions.put(sid, s);
        x.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + sid + "; Path=/; HttpOnly; SameSite=Strict");
        send(x, 200, Map.of("user", user(s)));
    }

    /** pusher-js's user authentication: refused for a banned user, so a ban outlasts a page reload. */
    private void userAuth(HttpExchange x, Session me, Map<String, String> form) throws IOException {
        if (!signedIn(x, me)) {
            return;
        }
        if (chat.isBanned(me.userId())) {
            send(x, 403, Map.of("error", "You are banned from this app"));
            return;
        }
        String socketId = form.get("socket_id");
        if (socketId == null) {
            send(x, 400, Map.of("error", "socket_id is required"));
            return;
        }
        Map<String, Object> info = Map.of("name", me.name(), "role", me.role().wire());
        raw(x, 200, switchboard.authenticateUser(socketId, new UserData(me.userId(), info, List.of())));
    }

    /** The chat room through sign-in (no channel_data: the member is the signed-in user); the kitchen's channel. */
    private void channelAuth(HttpExchange x, Session me, Map<String, String> form) throws IOException {
        if (!signedIn(x, me)) {
            return;
        }
        String socketId = form.get("socket_id");
        String channel = form.get("channel_name");
        boolean allowed = Chat.ROOM.equals(channel) ? !chat.isBanned(me.userId())
                : Orders.KITCHEN_CHANNEL.equals(channel) && me.role() == Session.Role.KITCHEN;
        if (socketId == null || channel == null) {
            send(x, 400, Map.of("error", "socket_id and channel_name are required"));
        } else if (!allowed) {
            send(x, 403, Map.of("error", "Not allowed on " + channel));
        } else {
            raw(x, 200, switchboard.authorizeChannel(socketId, channel));
        }
    }

    private void advance(HttpExchange x, Session me, int id) throws IOException {
        if (!signedIn(x, me)) {
            return;
        }
        if (me.role() != Session.Role.KITCHEN) {
            send(x, 403, Map.of("error", "Only the kitchen advances orders"));
            return;
        }
        Orders.Order o = orders.advance(id);
        if (o == null) {
            send(x, 404, Map.of("error", "No order " + id));
        } else {
            send(x, 200, o.json());
        }
    }

    private void say(HttpExchange x, Session me, String text) throws IOException {
        if (!signedIn(x, me)) {
            return;
        }
        if (chat.isBanned(me.userId())) {
            send(x, 403, Map.of("error", "You are banned from this app"));
        } else if (text == null || text.isBlank() || text.length() > Chat.MAX_MESSAGE_CHARS) {
            send(x, 400, Map.of("error", "text: 1 to " + Chat.MAX_MESSAGE_CHARS + " characters"));
        } else {
            chat.say(me, text.strip());
            send(x, 200, Map.of("ok", true));
        }
    }

    private void ban(HttpExchange x, Session me, String userId) throws IOException {
        if (!signedIn(x, me)) {
            return;
        }
        if (me.role() != Session.Role.MODERATOR) {
            send(x, 403, Map.of("error", "Only a moderator bans"));
        } else if (userId == null || userId.isBlank() || userId.equals(me.userId())) {
            send(x, 400, Map.of("error", "user: someone else's id"));
        } else {
            chat.ban(me, userId);
            send(x, 200, Map.of("banned", userId));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> user(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.userId());
        m.put("name", s.name());
        m.put("role", s.role().wire());
        return m;
    }

    private boolean signedIn(HttpExchange x, Session me) throws IOException {
        if (me == null) {
            send(x, 401, Map.of("error", "Sign in to the demo first"));
            return false;
        }
        return true;
    }

    private Session session(HttpExchange x) {
        String id = cookie(x);
        return id == null ? null : sessions.get(id);
    }

    private static String cookie(HttpExchange x) {
        for (String header : x.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    private static String text(byte[] body, String field) {
        try {
            JsonNode n = body.length == 0 ? null : JSON.readTree(body);
            JsonNode v = n == null ? null : n.get(field);
            return v != null && v.isTextual() ? v.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Null when the body is larger than allowed. */
    private static byte[] readBody(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            return b.length > MAX_BODY_BYTES ? null : b;
        }
    }

    private void file(HttpExchange x, String name) throws IOException {
        try (InputStream in = DemoHttp.class.getClassLoader().getResourceAsStream("demo/" + name)) {
            if (in == null) {
                send(x, 404, Map.of("error", "Not found"));
                return;
            }
            byte[] b = in.readAllBytes();
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8"
                    : name.endsWith(".svg") ? "image/svg+xml" : "application/json";
            x.getResponseHeaders().set("Content-Type", type);
            x.getResponseHeaders().set("Cache-Control", "no-cache");
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
        }
    }

    private static void send(HttpExchange x, int status, Object body) throws IOException {
        raw(x, status, JSON.writeValueAsString(body));
    }

    private static void raw(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    private static String randomId() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
