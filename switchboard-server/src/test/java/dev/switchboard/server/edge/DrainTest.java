package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.NodeProcess;
import dev.switchboard.server.testing.RawSocket;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a real node process: its WebSockets are closed with 4200 a slice at a time over
 * {@code shutdown_drain_seconds} (the other nodes get a ramp of reconnects, not a wall), and {@code /up} answers
 * 503 from the signal on. What is checked is where the close frames fall in the window, not how fast anything is.
 */
class DrainTest {
    private static final int CLIENTS = 200;
    private static final int DRAIN_SECONDS = 2;

    @Test
    void sigtermClosesClientsWith4200SpreadOverTheDrainWindowWhileUpAnswers503(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<RawSocket> clients = new ArrayList<>();
        try (NodeProcess node = NodeProcess.start("drain", dir,
                List.of("--shutdown-drain-seconds", String.valueOf(DRAIN_SECONDS)))) {
            assertThat(node.get("/up").statusCode()).isEqualTo(200);
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(RawSocket.open(http, node.port(), "app-key"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(c -> c.first() != null));

            CompletableFuture<Integer> exited = CompletableFuture.supplyAsync(node::terminate);
            // From the signal until the listener goes away with the process, /up says 503, never 200 again.
            List<Integer> upAnswers = new ArrayList<>();
            int openWhenFirst503 = -1;
            while (!exited.isDone()) {
                int status;
                try {
                    status = node.get("/up").statusCode();
                } catch (UncheckedIOException | IllegalStateException refusedOrGone) {
                    break;
                }
                if (status == 503 && openWhenFirst503 < 0) {
                    openWhenFirst503 = (int) clients.stream().filter(c -> c.closeCode() == null).count();
                }
                if (status != 200 || !upAnswers.isEmpty()) {
                    upAnswers.add(status);
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            exited.get(60, TimeUnit.SECONDS);

            assertThat(upAnswers).as("/up once the drain began").isNotEmpty().containsOnly(503);
            assertThat(openWhenFirst503).as("clients still open when /up first said 503").isGreaterThan(CLIENTS / 2);
            for (RawSocket c : clients) {
                assertThat(c.awaitCloseCode(Duration.ofSeconds(5))).isEqualTo(4200);
                assertThat(c.last()).contains("\"code\":4200");
            }
            long first = clients.stream().mapToLong(RawSocket::closedAtNanos).min().orElseThrow();
            long last = clients.stream().mapToLong(RawSocket::closedAtNanos).max().orElseThrow();
            double spread = (double) (last - first) / TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
            assertThat(spread).as("close spread as a fraction of the drain window").isGreaterThan(0.5);
            // A ramp, not two walls at its ends: each half of the spread holds a fair share of the closes.
            long middle = first + (last - first) / 2;
            long firstHalf = clients.stream().filter(c -> c.closedAtNanos() <= middle).count();
            assertThat(firstHalf).as("closes in the first half of the spread").isBetween(CLIENTS / 5L, CLIENTS * 4L / 5);
        } finally {
            clients.forEach(RawSocket::close);
        }
    }
}
