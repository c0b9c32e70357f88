package dev.switchboard.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.WireCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * A real webhook receiver for tests: {@code com.sun.net.httpserver} on a free port, recording every request.
 * {@code status} maps the request number (0-based) to the status to answer; {@code hangOn} makes that request
 * block until {@link #release()}.
 */
public final class Receiver implements AutoCloseable {
    public record Request(Headers headers, byte[] body, long receivedNanos) {
        public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

        public JsonNode json() { return WireCodec.parse(body); }

        public List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            json().get("events").forEach(out::add);
            return out;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch hanging = new CountDownLatch(1);
    private volatile IntUnaryOperator status = n -> 200;
    private volatile int hangOn = -1;

    public Receiver() throws IOException {
        this(0);
    }

    public Receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int n;
            synchronized (requests) {
                n = requests.size();
                requests.add(new Request(exchange.getRequestHeaders(), body, System.nanoTime()));
            }
            if (n == hangOn) {
                hanging.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status.applyAsInt(n), -1);
            exchange.close();
        });
        server.start();
    }

    public Receiver answering(IntUnaryOperator statusByRequest) {
        this.status = statusByRequest;
        return this;
    }

    Receiver hangingOn(int requestNumber) {
        this.hangOn = requestNumber;
        return this;
    }

    void release() {
        release.countDown();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/webhooks?token=t";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * Every event, in arrival order, of the first request of each {@code X-Switchboard-Webhook-Id}: what a receiver
     * that keeps ids processes (docs/webhooks.md). Delivery is at least once: a batch delivered by a node that died
     * before its acknowledgement reached Redis, or whose acknowledgement a partition lost, is sent again by the node
     * that takes it over, with the same id.
     */
    public List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Request r : requests) {
            String id = r.headers().getFirst("X-Switchboard-Webhook-Id");
            if (id == null || seen.add(id)) {
                out.addAll(r.events());
            }
        }
        return out;
    }

    /** The events as compact JSON text, for readable assertions. */
    public List<String> eventTexts() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events()) {
            out.add(e.toString());
        }
        return out;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
