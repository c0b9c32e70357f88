package dev.switchboard.server.engine;

import static dev.switchboard.server.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.testing.Apps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A windowed channel's events go out in the order of their sequences (docs/users.md, "Channel resume"), also when
 * HTTP publishes race each other: a live subscriber sees exactly the order a resuming user is replayed, so a
 * connection lost at any point has missed exactly the events after its place. Before the fix two racing publishes
 * could take their sequences in one order and reach the sockets in the other (the window kept under its lock, the
 * fan-out started after it), and a connection lost between the two then missed the earlier one for good.
 */
class ChannelWindowOrderTest {
    private static final String CH = "private-orders-race";
    private static final int THREADS = 4;
    private static final int EACH = 150;

    private static EngineFixture.Client signedInSubscriber(EngineFixture f, String user) {
        EngineFixture.Client c = f.connect();
        c.signin("{\"id\":\"" + user + "\"}");
        c.awaitFrame("signin_success");
        c.subscribePrivate(CH);
        c.awaitFrame("subscription_succeeded");
        return c;
    }

    /** The data of this channel's "order" events written to the client after its last subscription succeeded. */
    private static List<String> orders(EngineFixture.Client c) {
        List<String> frames = new ArrayList<>(c.peer.frames);
        int from = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).contains("subscription_succeeded")) {
                from = i + 1;
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : frames.subList(from, frames.size())) {
            if (s.contains("\"event\":\"order\"")) {
                out.add(s.substring(s.indexOf("\"data\":\"") + 8, s.indexOf("\"", s.indexOf("\"data\":\"") + 8)));
            }
        }
        return out;
    }

    @Test
    void racingPublishesReachLiveSubscribersInTheOrderAResumeReplays() throws Exception {
        try (EngineFixture f = new EngineFixture(Apps.with(Map.of("channelResumeSeconds", 60,
                "channelResumeMaxEvents", THREADS * EACH, "channelResumePrefixes", List.of("private-orders-"))))) {
            EngineFixture.Client live = signedInSubscriber(f, "bob");
            EngineFixture.Client lost = signedInSubscriber(f, "ann");
            lost.peer.close(CloseCode.RECONNECT, "lost");
            lost.drain();
            lost.drain();

            ExecutorService publishers = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(publishers.submit(() -> {
                    start.await();
                    for (int i = 0; i < EACH; i++) {
                        f.appEngine().trigger(CH, "order", "t" + thread + "-" + i, null);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> d : done) {
                d.get();
            }
            publishers.shutdown();
            String lastOfEach = "t" + (THREADS - 1) + "-" + (EACH - 1);
            live.awaitFrame(lastOfEach);
            eventually().until(() -> orders(live).size() == THREADS * EACH);

            EngineFixture.Client again = signedInSubscriber(f, "ann");
            eventually().until(() -> orders(again).size() == THREADS * EACH);

            // The replay is the window in sequence order; the live subscriber must have seen that same history.
            assertThat(orders(live)).containsExactlyElementsOf(orders(again));
        }
    }
}
