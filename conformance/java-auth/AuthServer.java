// The app's auth endpoints written in Java with Switchboard's SDK (switchboard-sdk), for the conformance suite:
// pusher-js calls them to subscribe and sign in, so the test proves pusher-js accepts what
// SwitchboardClient.authorizeChannel / authenticateUser return. A single-file program (no build step):
//
//   java -cp <switchboard-sdk classes>:<switchboard-protocol classes>:<jackson jars> \
//        conformance/java-auth/AuthServer.java <port|0> <appId> <key> <secret> <masterKeyBase64> [<serverPort>]
//
// Prints "LISTENING <port>" once it accepts requests, then one "REQUEST <json>" line per request. Stops on
// stdin EOF (so it never outlives the test that started it) or SIGTERM.
//
// Endpoints (form-encoded POST bodies, as pusher-js sends them; what to sign travels in the client's auth
// params, as in conformance/lib/auth-server.mjs):
//   /pusher/auth       socket_id, channel_name; presence channels: user_id, user_info (JSON text), or
//                      presence=signed-in to sign without member data (PROTOCOL.md §3.4)
//   /pusher/user-auth  socket_id, user_id, user_info (JSON text), watchlist (JSON array text)
//   /trigger           channel, event, data (text sent as is): SwitchboardClient.trigger (encrypts for
//                      private-encrypted- channels); needs <serverPort>
//   /send-to-user      user_id, event, data: SwitchboardClient.sendToUser; needs <serverPort>

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.sdk.PresenceData;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.sdk.UserData;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

public final class AuthServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One endpoint: form in, JSON text out. */
    private interface Handler {
        String handle(Map<String, String> form) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: AuthServer <port|0> <appId> <key> <secret> <masterKeyBase64> [<serverPort>]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        SwitchboardClient.Builder builder = SwitchboardClient.builder()
                .appId(args[1]).key(args[2]).secret(args[3])
                .encryptionMasterKeyBase64(args[4])
                .host("127.0.0.1").useTLS(false);
        if (args.length > 5) {
            builder.port(Integer.parseInt(args[5]));
        }
        SwitchboardClient client = builder.build();

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.setExecutor(Executors.newFixedThreadPool(4));

        context(http, "/pusher/auth", form -> {
            String socketId = form.get("socket_id");
            String channel = form.get("channel_name");
            if (channel != null && channel.startsWith("presence-") && !"signed-in".equals(form.get("presence"))) {
                String userId = form.getOrDefault("user_id", "anonymous");
                JsonNode info = form.containsKey("user_info") ? JSON.readTree(form.get("user_info")) : null;
                return client.authorizeChannel(socketId, channel, new PresenceData(userId, info));
            }
            return client.authorizeChannel(socketId, channel);
        });
        context(http, "/pusher/user-auth", form -> {
            UserData user = UserData.of(form.get("user_id"));
            if (form.containsKey("user_info")) {
                user = user.withUserInfo(JSON.readTree(form.get("user_info")));
            }
            if (form.containsKey("watchlist")) {
                List<String> ids = new ArrayList<>();
                JSON.readTree(form.get("watchlist")).forEach(n -> ids.add(n.asText()));
                user = user.withWatchlist(ids);
            }
            return client.authenticateUser(form.get("socket_id"), user);
        });
        context(http, "/trigger", form -> {
            int status = client.trigger(form.get("channel"), form.get("event"), form.get("data")).status();
            return "{\"status\":" + status + "}";
        });
        context(http, "/send-to-user", form -> {
            int status = client.sendToUser(form.get("user_id"), form.get("event"), form.get("data")).status();
            return "{\"status\":" + status + "}";
        });

        http.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> http.stop(0)));
        System.out.println("LISTENING " + http.getAddress().getPort());
        System.out.flush();

        // Whoever started us holds our stdin: when it goes away, so do we.
        InputStream in = System.in;
        while (in.read() != -1) {
            // ignore input
        }
        http.stop(0);
        System.exit(0);
    }

    private static void context(HttpServer http, String path, Handler handler) {
        http.createContext(path, exchange -> {
            try {
                if (!exchange.getRequestURI().getPath().equals(path) || !"POST".equals(exchange.getRequestMethod())) {
                    reply(exchange, 404, "text/plain", "not found");
                    return;
                }
                Map<String, String> form = form(exchange);
                log(path, form);
                String body;
                try {
                    body = handler.handle(form);
                } catch (IllegalArgumentException e) {
                    // What an app does with a refused socket id / channel name / user id from the browser.
                    reply(exchange, 403, "text/plain", String.valueOf(e.getMessage()));
                    return;
                }
                reply(exchange, 200, "application/json", body);
            } catch (Exception e) {
                e.printStackTrace();
                reply(exchange, 500, "text/plain", String.valueOf(e));
            }
        });
    }

    private static synchronized void log(String path, Map<String, String> form) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("path", path);
        line.set("form", JSON.valueToTree(form));
        System.out.println("REQUEST " + JSON.writeValueAsString(line));
        System.out.flush();
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
