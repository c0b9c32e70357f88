package dev.switchboard.server.webhooks;

import static dev.switchboard.server.webhooks.Knobs.KEY;
import static dev.switchboard.server.webhooks.Knobs.SECRET;
import static dev.switchboard.server.webhooks.Knobs.app;
import static dev.switchboard.server.webhooks.Knobs.hook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Validity;
import dev.switchboard.protocol.Signatures;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.WebhookConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private Receiver receiver() throws Exception {
        Receiver r = new Receiver();
        closeables.add(r);
        return r;
    }

    private WebhookDispatcher dispatcher(Consumer<Knobs> tweak) {
        Knobs k = new Knobs();
        tweak.accept(k);
        WebhookDispatcher d = new WebhookDispatcher(k.settings()).start();
        closeables.add(d);
        return d;
    }

    private static String json(String singleQuoted) {
        return WireCodec.parse(singleQuoted.replace('\'', '"')).toString();
    }

    @Test
    void everyEventTypeHasPusherPayload() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> {});
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "my-channel");
        d.channelVacated(app, "my-channel");
        d.memberAdded(app, "presence-room", "9");
        d.memberRemoved(app, "presence-room", "9");
        d.clientEvent(app, "private-chat", "client-typing", "{\"a\":1,\"b\":\"x\"}", "123.456", null);
        d.clientEvent(app, "presence-room", "client-say", "\"hello \\\"you\\\"\"", "123.457", "9");
        d.cacheMiss(app, "cache-news");
        d.subscriptionCount(app, "my-channel", 12);
        d.userOnline(app, "42");
        d.userOffline(app, "42");
        d.userTerminated(app, "42");

        await().atMost(WAIT).until(() -> r.events().size() >= 11);
        assertThat(r.eventTexts()).containsExactly(
                json("{'name':'channel_occupied','channel':'my-channel'}"),
                json("{'name':'channel_vacated','channel':'my-channel'}"),
                json("{'name':'member_added','channel':'presence-room','user_id':'9'}"),
                json("{'name':'member_removed','channel':'presence-room','user_id':'9'}"),
                "{\"name\":\"client_event\",\"channel\":\"private-chat\",\"event\":\"client-typing\","
                        + "\"data\":\"{\\\"a\\\":1,\\\"b\\\":\\\"x\\\"}\",\"socket_id\":\"123.456\"}",
                "{\"name\":\"client_event\",\"channel\":\"presence-room\",\"event\":\"client-say\","
                        + "\"data\":\"hello \\\"you\\\"\",\"socket_id\":\"123.457\",\"user_id\":\"9\"}",
                json("{'name':'cache_miss','channel':'cache-news'}"),
                "{\"name\":\"subscription_count\",\"channel\":\"my-channel\",\"subscription_count\":12}",
                json("{'name':'user_online','user_id':'42'}"),
                json("{'name':'user_offline','user_id':'42'}"),
                json("{'name':'user_terminated','user_id':'42'}"));
        JsonNode body = r.requests().get(0).json();
        assertThat(body.get("time_ms").isIntegralNumber()).isTrue();
        assertThat(body.get("time_ms").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    }

    @Test
    void serverToUserChannelsAndDuplicateCacheMissesAreNotSent() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> {});
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "#server-to-user-42");
        d.subscriptionCount(app, "#server-to-user-42", 1);
        d.cacheMiss(app, "cache-a");
        d.cacheMiss(app, "cache-a");
        d.cacheMiss(app, "cache-b");
        d.cacheMiss(app, "cache-a");
        d.channelOccupied(app, "marker");

        await().atMost(WAIT).until(() -> r.eventTexts().contains(json("{'name':'channel_occupied','channel':'marker'}")));
        assertThat(r.eventTexts()).containsExactly(
                json("{'name':'cache_miss','channel':'cache-a'}"),
                json("{'name':'cache_miss','channel':'cache-b'}"),
                json("{'name':'channel_occupied','channel':'marker'}"));
        assertThat(d.stats().cacheMissesSuppressed()).isEqualTo(2);
    }

    @Test
    void headersAreExactAndTheSignatureVerifiesWithPusherHttpJava() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> {});
        AppConfig app = app(new WebhookConfig(r.url(), List.of(), null,
                Map.of("X-Custom", "v", "Content-Type", "text/plain", "Host", "evil",
                        "X-Switchboard-Webhook-Id", "mine")));

        d.clientEvent(app, "private-ünïcode", "client-x", "{\"emoji\":\"😀\"}", "1.2", null);

        await().atMost(WAIT).until(() -> r.requests().size() == 1);
        Receiver.Request req = r.requests().get(0);
        assertThat(req.headers().get("Content-Type")).containsExactly("application/json");
        assertThat(req.headers().get("X-Pusher-Key")).containsExactly(KEY);
        assertThat(req.headers().get("X-Custom")).containsExactly("v");
        assertThat(req.headers().get("X-Switchboard-Webhook-Id")).hasSize(1).doesNotContain("mine");
        String signature = req.headers().getFirst("X-Pusher-Signature");
        assertThat(signature).isEqualTo(Signatures.hmacSha256Hex(SECRET, req.body()));

        Pusher pusher = new Pusher("1", KEY, SECRET);
        assertThat(pusher.validateWebhookSignature(KEY, signature, req.bodyText())).isEqualTo(Validity.VALID);
        assertThat(pusher.validateWebhookSignature(KEY, signature, req.bodyText() + " ")).isEqualTo(Validity.INVALID);
        assertThat(req.events().get(0).get("channel").asText()).isEqualTo("private-ünïcode");
    }

    @Test
    void eventsInTheWindowGoInOnePost() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> k.batchMillis = 1000);
        AppConfig app = app(hook(r.url()));

        for (int i = 0; i < 5; i++) {
            d.channelOccupied(app, "c" + i);
        }

        // The receiver sees the POST before the dispatcher has read the answer: wait for both.
        await().atMost(WAIT).until(() -> r.events().size() == 5 && d.stats().eventsSent() == 5);
        assertThat(r.requests()).hasSize(1);
        assertThat(d.stats().batchesSent()).isEqualTo(1);
        assertThat(d.stats().eventsSent()).isEqualTo(5);
    }

    @Test
    void maxEventsCapsABatch() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> {
            k.batchMillis = 300;
            k.batchMaxEvents = 3;
        });
        AppConfig app = app(hook(r.url()));

        for (int i = 0; i < 7; i++) {
            d.channelOccupied(app, "c" + i);
        }

        await().atMost(WAIT).until(() -> r.events().size() == 7);
        List<Integer> sizes = new ArrayList<>();
        for (Receiver.Request req : r.requests()) {
            sizes.add(req.events().size());
        }
        assertThat(sizes).containsExactlyInAnyOrder(3, 3, 1);
    }

    @Test
    void leaveEventsWaitForTheDelay() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> k.leaveDelayMillis = 200);
        AppConfig app = app(hook(r.url()));

        long start = System.nanoTime();
        d.channelVacated(app, "gone");

        await().atMost(WAIT).until(() -> r.events().size() == 1);
        assertThat(r.eventTexts()).containsExactly(json("{'name':'channel_vacated','channel':'gone'}"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(r.requests().get(0).receivedNanos() - start)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aQuickReturnCancelsBothTheLeaveAndTheJoin() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> k.leaveDelayMillis = 200);
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "presence-room");
        d.memberAdded(app, "presence-room", "1");
        d.memberAdded(app, "presence-room", "2");
        d.userOnline(app, "1");
        // a page reload: everything goes and comes back inside the delay
        d.memberRemoved(app, "presence-room", "1");
        d.channelVacated(app, "presence-room");
        d.userOffline(app, "1");
        d.channelOccupied(app, "presence-room");
        d.memberAdded(app, "presence-room", "1");
        d.userOnline(app, "1");
        // user 2 left, user 3 came: not the same member, both are sent
        d.memberRemoved(app, "presence-room", "2");
        d.memberAdded(app, "presence-room", "3");
        // the marker is held for the same delay, after every cancelled leave
        d.channelVacated(app, "marker");

        await().atMost(WAIT).until(() -> r.eventTexts().contains(json("{'name':'channel_vacated','channel':'marker'}")));
        assertThat(r.eventTexts()).containsExactly(
                json("{'name':'channel_occupied','channel':'presence-room'}"),
                json("{'name':'member_added','channel':'presence-room','user_id':'1'}"),
                json("{'name':'member_added','channel':'presence-room','user_id':'2'}"),
                json("{'name':'user_online','user_id':'1'}"),
                json("{'name':'member_added','channel':'presence-room','user_id':'3'}"),
                json("{'name':'member_removed','channel':'presence-room','user_id':'2'}"),
                json("{'name':'channel_vacated','channel':'marker'}"));
        assertThat(d.stats().leavesCancelled()).isEqualTo(3);
    }

    @Test
    void targetsFilterByEventTypeAndChannelPrefix() throws Exception {
        Receiver narrow = receiver();
        Receiver all = receiver();
        WebhookDispatcher d = dispatcher(k -> {});
        AppConfig app = app(
                new WebhookConfig(narrow.url(), List.of("channel_occupied", "user_online"), "presence-", Map.of()),
                hook(all.url()));

        d.channelOccupied(app, "presence-a");
        d.channelOccupied(app, "private-b");
        d.memberAdded(app, "presence-a", "7");
        d.userOnline(app, "7");

        await().atMost(WAIT).until(() -> all.events().size() == 4 && narrow.eventTexts().contains(
                json("{'name':'user_online','user_id':'7'}")));
        assertThat(narrow.eventTexts()).containsExactly(
                json("{'name':'channel_occupied','channel':'presence-a'}"),
                json("{'name':'user_online','user_id':'7'}"));
    }

    @Test
    void a500IsRetriedWithTheSameSignedBytes() throws Exception {
        Receiver r = receiver().answering(n -> n == 0 ? 500 : 200);
        WebhookDispatcher d = dispatcher(k -> {});
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "c");

        await().atMost(WAIT).until(() -> d.stats().batchesSent() == 1);
        List<Receiver.Request> reqs = r.requests();
        assertThat(reqs).hasSize(2);
        assertThat(reqs.get(1).bodyText()).isEqualTo(reqs.get(0).bodyText());
        assertThat(reqs.get(1).headers().getFirst("X-Pusher-Signature"))
                .isEqualTo(reqs.get(0).headers().getFirst("X-Pusher-Signature"));
        // the id a receiver drops duplicates by: the same on the retry
        assertThat(reqs.get(0).headers().getFirst("X-Switchboard-Webhook-Id")).isNotBlank()
                .isEqualTo(reqs.get(1).headers().getFirst("X-Switchboard-Webhook-Id"));
        assertThat(d.stats().failedAttempts()).isEqualTo(1);
        assertThat(d.stats().eventsDropped()).isZero();
    }

    /** As Pusher does: a 4xx is retried too, with growing, jittered back-off, until a 2xx. */
    @Test
    void a4xxIsRetriedWithBackoffUntilItIsAccepted() throws Exception {
        Receiver r = receiver().answering(n -> n < 3 ? (n == 1 ? 410 : 404) : 200);
        WebhookDispatcher d = dispatcher(k -> {
            k.retryBaseMillis = 100;
            k.retryMaxMillis = 1_000;
        });
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "refused-at-first");

        await().atMost(WAIT).until(() -> d.stats().batchesSent() == 1);
        List<Receiver.Request> reqs = r.requests();
        assertThat(reqs).hasSize(4);
        for (Receiver.Request q : reqs) {
            assertThat(q.bodyText()).isEqualTo(reqs.get(0).bodyText());
        }
        // Each wait is at least half its ceiling (100, 200, 400 ms): 50, 100, 200 ms. A scheduler never fires
        // early, so these floors hold however slow the machine is.
        long[] floors = {50, 100, 200};
        for (int i = 0; i < 3; i++) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(reqs.get(i + 1).receivedNanos() - reqs.get(i).receivedNanos());
            assertThat(gapMillis).as("wait before retry %d", i + 1).isGreaterThanOrEqualTo(floors[i]);
        }
        assertThat(d.stats().failedAttempts()).isEqualTo(3);
        assertThat(d.stats().eventsDropped()).isZero();
        AppWebhookStats perApp = d.stats().app(app.id());
        assertThat(perApp.failedAttempts(AppWebhookStats.Failure.HTTP_4XX)).isEqualTo(3);
        assertThat(perApp.failedAttempts(AppWebhookStats.Failure.HTTP_5XX)).isZero();
        assertThat(perApp.batchesSent()).isEqualTo(1);
        assertThat(perApp.batchesDropped()).isZero();
    }

    @Test
    void a4xxForTheWholeRetryWindowDropsTheBatchAndCountsItForTheApp() throws Exception {
        Receiver r = receiver().answering(n -> 400);
        WebhookDispatcher d = dispatcher(k -> {
            k.retrySeconds = 1;
            k.retryBaseMillis = 100;
            k.retryMaxMillis = 200;
        });
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "never-accepted");

        await().atMost(WAIT).until(() -> d.stats().droppedAfterRetries() == 1);
        assertThat(r.requests().size()).isGreaterThan(2);
        AppWebhookStats perApp = d.stats().app(app.id());
        assertThat(perApp.batchesDropped()).isEqualTo(1);
        assertThat(perApp.failedAttempts(AppWebhookStats.Failure.HTTP_4XX)).isEqualTo(r.requests().size());
        assertThat(d.stats().eventsDropped()).isEqualTo(1);
        assertThat(d.stats().app("another-app").batchesDropped()).isZero();
    }

    @Test
    void aHangingReceiverTimesOutAndIsRetriedWhileListenersReturnAtOnce() throws Exception {
        Receiver r = receiver().hangingOn(0);
        WebhookDispatcher d = dispatcher(k -> k.timeoutMillis = 300);
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "slow");
        assertThat(r.hanging.await(10, TimeUnit.SECONDS)).isTrue();

        // the receiver is blocked right now; the engine's calls still go straight through
        for (int i = 0; i < 1_000; i++) {
            d.clientEvent(app, "private-c", "client-e", "{}", "1.1", null);
        }
        assertThat(r.hanging.getCount()).isZero();
        // At least the hanging request; a retry may already have started on a slow machine.
        assertThat(r.requests()).isNotEmpty();

        await().atMost(WAIT).until(() -> d.stats().eventsSent() == 1_001);
        assertThat(d.stats().failedAttempts()).isGreaterThanOrEqualTo(1);
        List<String> bodies = new ArrayList<>();
        r.requests().forEach(q -> bodies.add(q.bodyText()));
        assertThat(bodies.subList(1, bodies.size())).as("the timed-out batch, resent verbatim").contains(bodies.get(0));
        r.release();
    }

    @Test
    void retriesStopAfterTheRetryWindow() throws Exception {
        int port = freePort();
        WebhookDispatcher d = dispatcher(k -> {
            k.retrySeconds = 1;
            k.retryBaseMillis = 200;
            k.retryMaxMillis = 1_000;
        });
        AppConfig app = app(hook("http://127.0.0.1:" + port + "/down"));

        d.channelOccupied(app, "c");

        await().atMost(WAIT).until(() -> d.stats().droppedAfterRetries() == 1);
        assertThat(d.stats().failedAttempts()).isBetween(2L, 4L);
        assertThat(d.stats().queuedBatches()).isZero();
        assertThat(d.stats().eventsDropped()).isEqualTo(1);
    }

    @Test
    void aDownReceiverDropsTheOldestBatchesAndStaysBounded() throws Exception {
        int port = freePort();
        WebhookDispatcher d = dispatcher(k -> {
            k.batchMaxEvents = 1;
            k.queueSize = 3;
            k.maxInFlight = 1;
            k.retryBaseMillis = 100;
            k.retryMaxMillis = 100;
        });
        AppConfig app = app(hook("http://127.0.0.1:" + port + "/hooks"));

        for (int i = 0; i < 10; i++) {
            d.channelOccupied(app, "c" + i);
        }
        // c0 is in flight (retrying), c7..c9 wait, c1..c6 were dropped oldest first
        await().atMost(WAIT).until(() -> d.stats().droppedQueueFull() == 6);
        assertThat(d.stats().queuedBatches()).isEqualTo(4);
        for (int i = 0; i < 1_000; i++) {
            d.channelOccupied(app, "more" + i);
        }
        await().atMost(WAIT).until(() -> d.stats().droppedQueueFull() == 1_006);
        assertThat(d.stats().queuedBatches()).isEqualTo(4);
        assertThat(d.stats().failedAttempts()).isPositive();

        // the receiver comes back: what was kept is delivered
        try (Receiver back = new Receiver(port)) {
            await().atMost(WAIT).until(() -> back.events().size() == 4);
            assertThat(back.eventTexts()).containsExactlyInAnyOrder(
                    json("{'name':'channel_occupied','channel':'c0'}"),
                    json("{'name':'channel_occupied','channel':'more997'}"),
                    json("{'name':'channel_occupied','channel':'more998'}"),
                    json("{'name':'channel_occupied','channel':'more999'}"));
            await().atMost(WAIT).until(() -> d.stats().queuedBatches() == 0);
        }
        assertThat(d.stats().eventsDropped()).isEqualTo(1_006);
    }

    @Test
    void closeSendsHeldLeavesAndOpenBatchesAtOnce() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> {
            k.batchMillis = 60_000;
            k.leaveDelayMillis = 60_000;
        });
        AppConfig app = app(hook(r.url()));

        d.channelOccupied(app, "a");
        d.channelVacated(app, "b");
        d.close();

        assertThat(r.eventTexts()).containsExactlyInAnyOrder(
                json("{'name':'channel_occupied','channel':'a'}"),
                json("{'name':'channel_vacated','channel':'b'}"));
        assertThat(d.stats().eventsDropped()).isZero();
        d.channelOccupied(app, "after-close"); // ignored, does not throw
    }

    @Test
    void anUnusableUrlDropsAndCountsWithoutThrowing() throws Exception {
        Receiver r = receiver();
        WebhookDispatcher d = dispatcher(k -> {});
        AppConfig app = app(hook("ftp://nowhere"), hook(r.url()));

        d.channelOccupied(app, "c");
        d.channelOccupied(null, "c");

        await().atMost(WAIT).until(() -> r.events().size() == 1 && d.stats().droppedRejected() == 1);
    }

    @Test
    void aChangedAppConfigSendsNewEventsToTheNewTargets() throws Exception {
        Receiver before = receiver();
        Receiver after = receiver();
        WebhookDispatcher d = dispatcher(k -> {});

        d.channelOccupied(app(hook(before.url())), "first");
        d.channelOccupied(app(hook(after.url())), "second");

        await().atMost(WAIT).until(() -> before.events().size() == 1 && after.events().size() == 1);
        assertThat(before.eventTexts()).containsExactly(json("{'name':'channel_occupied','channel':'first'}"));
        assertThat(after.eventTexts()).containsExactly(json("{'name':'channel_occupied','channel':'second'}"));
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
