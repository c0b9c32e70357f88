package dev.switchboard.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.sdk.PresenceData;
import dev.switchboard.sdk.UserData;
import dev.switchboard.sdk.webhook.InvalidWebhookException;
import dev.switchboard.sdk.webhook.WebhookBatch;
import dev.switchboard.sdk.webhook.WebhookEvent;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.WebhookConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's own webhooks (its built-in dispatcher), received over HTTP and verified and parsed by the SDK's
 * {@code Webhook}.
 */
class SdkWebhookTest extends SdkServer {
    private final HttpServer receiver;
    private final List<WebhookEvent> received = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    SdkWebhookTest() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            try {
                if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                    problems.add("Content-Type " + exchange.getRequestHeaders().getFirst("Content-Type"));
                }
                WebhookBatch batch = client.webhook().verify(exchange.getRequestHeaders().getFirst("X-Pusher-Key"),
                        exchange.getRequestHeaders().getFirst("X-Pusher-Signature"), body);
                if (Math.abs(batch.timeMs() - System.currentTimeMillis()) > 60_000) {
                    problems.add("time_ms " + batch.timeMs());
                }
                received.addAll(batch.events());
            } catch (InvalidWebhookException e) {
                problems.add(e.getMessage());
                status = 401;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @Override
    AppConfig app() {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        return super.app().withWebhooks(List.of(new WebhookConfig(url, List.of(), null, Map.of())));
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void everyWebhookVerifiesAndParses() {
        RawSocket ann = socket();
        ann.subscribe("presence-room", client.authorizeChannel(ann.socketId, "presence-room", PresenceData.of("ann")));
        ann.send(Map.of("event", "client-wave", "channel", "presence-room", "data", Map.of("hi", 1)));
        RawSocket bob = signedIn(UserData.of("bob"));
        client.terminateUserConnections("bob");
        bob.awaitClose();

        List<WebhookEvent> expected = List.of(
                new WebhookEvent.ChannelOccupied("presence-room"),
                new WebhookEvent.MemberAdded("presence-room", "ann"),
                new WebhookEvent.ClientEvent("presence-room", "client-wave", "{\"hi\":1}", ann.socketId, "ann"),
                new WebhookEvent.UserOnline("bob"),
                new WebhookEvent.UserTerminated("bob"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!received.containsAll(expected) && System.nanoTime() < deadline) {
            sleep();
        }
        assertThat(new ArrayList<>(received)).containsAll(expected);
        assertThat(problems).isEmpty();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
