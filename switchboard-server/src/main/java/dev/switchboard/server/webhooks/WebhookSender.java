package dev.switchboard.server.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side: one JDK {@link HttpClient} (HTTP/1.1, no redirects) on two daemon threads of its own, async
 * only. A request builds once per batch and is reused verbatim for retries, so every attempt sends the same
 * signed bytes.
 */
final class WebhookSender {
    private final ExecutorService executor;
    private final HttpClient client;
    private final Duration timeout;
    private final long backstopMillis;

    WebhookSender(int timeoutMillis) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "switchboard-webhooks-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timeout = Duration.ofMillis(timeoutMillis);
        // The request timeout covers the wait for the response head; the backstop also bounds a receiver
        // that sends a head and then stalls in the body.
        this.backstopMillis = timeoutMillis + 1_000L;
        // HTTP/1.1: the JDK's default HTTP/2 would send an h2c upgrade that some receivers mishandle.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    /** The batch's id, the same on every attempt and on every node that sends it: a receiver drops duplicates by it. */
    static final String ID_HEADER = "X-Switchboard-Webhook-Id";

    /**
     * The POST for one batch. {@code Content-Type} is exactly {@code application/json}: pusher-http-node
     * compares it with {@code ===} (PROTOCOL.md §7.1). Throws {@link IllegalArgumentException} for a request the
     * HTTP client refuses to build (a URL it rejects).
     */
    HttpRequest request(QueuedBatch b) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(b.url()))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.body()));
        for (Map.Entry<String, String> h : b.headers().entrySet()) {
            r.header(h.getKey(), h.getValue());
        }
        return r.header("Content-Type", "application/json")
                .header("X-Pusher-Key", b.appKey())
                .header("X-Pusher-Signature", b.signature())
                .header(ID_HEADER, b.id())
                .build();
    }

    /** The response status, or an exception (timeout, connection refused, I/O). Never blocks. */
    CompletableFuture<Integer> post(HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode)
                .orTimeout(backstopMillis, TimeUnit.MILLISECONDS);
    }

    void close() {
        executor.shutdownNow();
    }
}
