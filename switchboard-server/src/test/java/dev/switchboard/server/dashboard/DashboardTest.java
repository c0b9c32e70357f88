package dev.switchboard.server.dashboard;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.sdk.SwitchboardClient;
import dev.switchboard.sdk.UserData;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.WebhookConfig;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import dev.switchboard.server.testing.Json;
import dev.switchboard.server.testing.RawSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's endpoints on a real node: the token guard, what they answer, and that no secret leaks. */
class DashboardTest {
    private static final String TOKEN = "test-dashboard-token-0123456789";
    private static final String SECRET = "very-secret-app-secret-5f1c";
    private static final String OTHER_SECRET = "second-app-secret-9a7d";
    private static final List<String> API_GETS = List.of("apps", "apps/dash-app", "apps/dash-app/channels",
            "apps/dash-app/users/ann", "apps/nope", "apps/dash-app/stream", "nothing");
    private static final List<String> API_POSTS = List.of("apps/dash-app/users/ann/events",
            "apps/dash-app/users/ann/terminate", "apps/dash-app/users/ann/reconnect", "apps/dash-app/users/ann/unban");

    private final HttpClient http = HttpClient.newHttpClient();
    /** Every body the dashboard answered with the token, checked for secrets at the end of each test. */
    private final List<String> answered = Collections.synchronizedList(new ArrayList<>());
    private final List<RawSocket> sockets = new ArrayList<>();
    private Switchboard server;
    private SwitchboardClient sdk;

    private HttpServer webhookReceiver;

    @BeforeEach
    void start() throws Exception {
        // A webhook target that takes everything, so that webhook events pass and reach the console.
        webhookReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhookReceiver.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        webhookReceiver.start();
        String hook = "http://127.0.0.1:" + webhookReceiver.getAddress().getPort() + "/hooks";
        server = Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0).withDashboard(true, TOKEN)
                .withApps(List.of(AppConfig.defaults("dash-app", "dash-key", SECRET)
                                .withWebhooks(List.of(new WebhookConfig(hook, List.of(), null, null))),
                        AppConfig.defaults("other-app", "other-key", OTHER_SECRET))));
        sdk = SwitchboardClient.builder().appId("dash-app").key("dash-key").secret(SECRET)
                .host("127.0.0.1").port(server.port()).useTLS(false).build();
    }

    @AfterEach
    void stop() {
        sockets.forEach(RawSocket::close);
        server.close();
        webhookReceiver.stop(0);
        for (String body : answered) {
            assertThat(body).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
        }
    }

    @Test
    void everyApiPathAnswers401WithoutTheRightTokenAndTellsNothingOfTheApps() throws Exception {
        for (String auth : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                "Basic " + TOKEN, TOKEN, "Bearer "}) {
            for (String path : API_GETS) {
                HttpResponse<String> r = send("GET", path, auth, null);
                assertThat(r.statusCode()).as("%s with %s", path, auth).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
                assertThat(r.body()).doesNotContain("dash-app").doesNotContain("dash-key").doesNotContain(SECRET);
                assertThat(Json.parse(r.body()).get("error").textValue()).isNotEmpty();
            }
            for (String path : API_POSTS) {
                assertThat(send("POST", path, auth, "{\"event\":\"x\"}").statusCode()).isEqualTo(401);
            }
        }
    }

    @Test
    void thePageItselfIsServedWithoutTheTokenAndHoldsNoAppData() throws Exception {
        HttpResponse<String> page = send("GET", "/dashboard/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.body()).contains("Switchboard dashboard").doesNotContain("dash-app");
        assertThat(send("GET", "/dashboard/dashboard.js", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/dashboard", null).statusCode()).isEqualTo(301);
        assertThat(send("GET", "/dashboard/../logback.xml", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/dashboard/logback.xml", null).statusCode()).isEqualTo(404);
    }

    @Test
    void appsAndFiguresFollowTheConnectionsAndNeverCarryASecret() throws Exception {
        JsonNode apps = ok("GET", "apps", null).get("apps");
        assertThat(apps).hasSize(2);
        assertThat(apps.get(0).get("id").textValue()).isEqualTo("dash-app");
        assertThat(apps.get(0).get("key").textValue()).isEqualTo("dash-key");
        assertThat(apps.get(0).get("connections").intValue()).isZero();

        RawSocket a = socket();
        a.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}");
        a.awaitEvent("pusher_internal:subscription_succeeded");
        socket();
        eventually().until(() -> ok("GET", "apps/dash-app", null).get("connections").intValue() == 2);
        JsonNode app = ok("GET", "apps/dash-app", null);
        assertThat(app.get("channels").intValue()).isEqualTo(1);
        assertThat(app.get("series").get("messages_in").isArray()).isTrue();
        JsonNode channels = ok("GET", "apps/dash-app/channels", null);
        assertThat(channels.get("total").intValue()).isEqualTo(1);
        assertThat(channels.get("channels").get(0).get("name").textValue()).isEqualTo("news");
        assertThat(channels.get("channels").get(0).get("subscription_count").intValue()).isEqualTo(1);
        assertThat(ok("GET", "apps/other-app", null).get("connections").intValue()).isZero();
        assertThat(send("GET", "apps/nope", "Bearer " + TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theStreamCarriesFiguresAndTheEventsThatPassWithTheirOrigin() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(
                request("GET", "apps/dash-app/stream", "Bearer " + TOKEN, null).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> open = stream.get();
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        Thread reader = new Thread(() -> open.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();

        eventually().until(() -> lines.contains("event: figures"));
        sdk.trigger("orders", "order-placed", Map.of("id", 7));
        eventually().until(() -> lines.stream().anyMatch(l -> l.contains("\"event\":\"order-placed\"")));
        String events = lines.stream().filter(l -> l.contains("order-placed")).findFirst().orElseThrow();
        JsonNode e = Json.parse(events.substring("data: ".length())).get("events").get(0);
        assertThat(e.get("channel").textValue()).isEqualTo("orders");
        assertThat(e.get("origin").textValue()).isEqualTo("http_api");
        assertThat(e.get("bytes").intValue()).isPositive();

        RawSocket s = socket();
        eventually().until(() -> lines.stream().anyMatch(l -> l.contains("\"connections\":1")));
        answered.addAll(lines);
        s.close();
    }

    @Test
    void clientEventsAndWebhooksReachTheConsoleWithTheirOrigin() throws Exception {
        List<String> lines = openStream();
        RawSocket s = socket();
        JsonNode auth = Json.parse(sdk.authorizeChannel(s.socketId(), "private-room"));
        s.send(Json.write(Map.of("event", "pusher:subscribe", "data",
                Map.of("channel", "private-room", "auth", auth.get("auth").textValue()))));
        s.awaitEvent("pusher_internal:subscription_succeeded");
        s.send(Json.write(Map.of("event", "client-typing", "channel", "private-room", "data", Map.of("who", "ann"))));
        eventually().until(() -> consoleEvents(lines).stream().anyMatch(e ->
                e.get("event").textValue().equals("client-typing") && e.get("origin").textValue().equals("client_event")
                        && e.get("channel").textValue().equals("private-room")));
        eventually().until(() -> consoleEvents(lines).stream().anyMatch(e ->
                e.get("event").textValue().equals("channel_occupied") && e.get("origin").textValue().equals("webhook")
                        && e.get("channel").textValue().equals("private-room")));
        eventually().until(() -> consoleEvents(lines).stream().anyMatch(e ->
                e.get("event").textValue().equals("client_event") && e.get("origin").textValue().equals("webhook")));
        answered.addAll(lines);
    }

    @Test
    void aUserIsLookedUpSentAnEventAndTerminated() throws Exception {
        RawSocket ann = socket();
        String answer = sdk.authenticateUser(ann.socketId(), new UserData("ann", Map.of("name", "Ann"), List.of("bob")));
        JsonNode auth = Json.parse(answer);
        ann.send(Json.write(Map.of("event", "pusher:signin", "data", Map.of(
                "auth", auth.get("auth").textValue(), "user_data", auth.get("user_data").textValue()))));
        ann.awaitEvent("pusher:signin_success");

        JsonNode user = ok("GET", "apps/dash-app/users/ann", null);
        assertThat(user.get("online").booleanValue()).isTrue();
        assertThat(user.get("connections").intValue()).isEqualTo(1);
        assertThat(user.get("user_info").get("name").textValue()).isEqualTo("Ann");
        assertThat(user.get("watchlist").get(0).textValue()).isEqualTo("bob");
        assertThat(send("GET", "apps/dash-app/users/nobody", "Bearer " + TOKEN, null).statusCode()).isEqualTo(404);

        ok("POST", "apps/dash-app/users/ann/events", "{\"event\":\"note\",\"data\":{\"text\":\"hi\"}}");
        JsonNode note = ann.awaitEvent("note");
        assertThat(note.get("channel").textValue()).isEqualTo("#server-to-user-ann");
        assertThat(Json.parse(note.get("data").textValue()).get("text").textValue()).isEqualTo("hi");
        assertThat(send("POST", "apps/dash-app/users/ann/events", "Bearer " + TOKEN, "{\"data\":1}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "apps/dash-app/users/ann/events", "Bearer " + TOKEN, "not json").statusCode())
                .isEqualTo(400);

        ok("POST", "apps/dash-app/users/ann/terminate", "{}");
        assertThat(ann.awaitCloseCode()).isEqualTo(4009);
    }

    /** The terminate button with ban seconds, Lift ban and Reconnect user (issue 25 items 2 and 3). */
    @Test
    void aUserIsBannedLiftedAndAskedToReconnect() throws Exception {
        RawSocket dan = signedIn("dan");
        assertThat(send("POST", "apps/dash-app/users/dan/terminate", "Bearer " + TOKEN, "{\"ban_seconds\":-1}")
                .statusCode()).isEqualTo(400);
        JsonNode banned = ok("POST", "apps/dash-app/users/dan/terminate", "{\"ban_seconds\":600}");
        assertThat(banned.get("banned_until_ms").longValue()).isGreaterThan(System.currentTimeMillis());
        assertThat(dan.awaitCloseCode()).isEqualTo(4009);
        assertThat(ok("GET", "apps/dash-app/users/dan", null).get("banned_until_ms").longValue())
                .isEqualTo(banned.get("banned_until_ms").longValue());
        RawSocket again = socket();
        again.send(signIn(again, "dan"));
        assertThat(again.awaitEvent("pusher:error").toString()).contains("banned");
        assertThat(ok("POST", "apps/dash-app/users/dan/unban", "{}").get("lifted").booleanValue()).isTrue();

        RawSocket back = signedIn("dan");
        ok("POST", "apps/dash-app/users/dan/reconnect", "{}");
        assertThat(back.awaitCloseCode()).isEqualTo(4200);
    }

    private String signIn(RawSocket s, String user) {
        JsonNode auth = Json.parse(sdk.authenticateUser(s.socketId(), new UserData(user, Map.of(), List.of())));
        return Json.write(Map.of("event", "pusher:signin", "data", Map.of(
                "auth", auth.get("auth").textValue(), "user_data", auth.get("user_data").textValue())));
    }

    private RawSocket signedIn(String user) {
        RawSocket s = socket();
        s.send(signIn(s, user));
        s.awaitEvent("pusher:signin_success");
        return s;
    }

    @Test
    void turnedOffTheDashboardIsNotThere() throws Exception {
        try (Switchboard off = Switchboard.start(ServerConfig.defaults().withPort(0).with("metrics_port", 0).withDashboard(false, TOKEN))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + off.port() + "/dashboard/api/apps"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
        }
    }

    /** Opens the app's live stream; its lines arrive in the returned list. */
    private List<String> openStream() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        HttpResponse<Stream<String>> open = http.send(
                request("GET", "apps/dash-app/stream", "Bearer " + TOKEN, null).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(open.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> open.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        eventually().until(() -> lines.contains("event: figures"));
        return lines;
    }

    private static List<JsonNode> consoleEvents(List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        synchronized (lines) {
            for (String l : lines) {
                if (l.startsWith("data: ") && l.contains("\"events\"")) {
                    Json.parse(l.substring("data: ".length())).get("events").forEach(out::add);
                }
            }
        }
        return out;
    }

    private RawSocket socket() {
        RawSocket s = RawSocket.open(server.port(), "dash-key");
        sockets.add(s);
        s.socketId();
        return s;
    }

    private JsonNode ok(String method, String apiPath, String body) throws Exception {
        HttpResponse<String> r = send(method, apiPath, "Bearer " + TOKEN, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, apiPath, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        return Json.parse(r.body());
    }

    private HttpResponse<String> send(String method, String apiPath, String authorization, String body) throws Exception {
        HttpResponse<String> r = http.send(request(method, apiPath, authorization, body).build(),
                HttpResponse.BodyHandlers.ofString());
        answered.add(r.body());
        return r;
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        answered.add(r.body());
        return r;
    }

    private HttpRequest.Builder request(String method, String apiPath, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/dashboard/api/" + apiPath))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (apiPath.endsWith("/stream")) {
            b.timeout(Duration.ofMinutes(1));
        }
        return b;
    }
}
