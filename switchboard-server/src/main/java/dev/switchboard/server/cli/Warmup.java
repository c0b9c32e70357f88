package dev.switchboard.server.cli;

import dev.switchboard.protocol.Signatures;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up warm-up ({@code startup_warmup_clients}, docs/performance.md "A cold node"): a freshly started JVM
 * pays for compiling the connect path with its first tens of thousands of clients (JIT threads and interpreted code
 * make the first 1,000 about ten times dearer than later ones), and the JDK 25 AOT cache keeps no compiled code. So
 * once the node listens, with {@code /up} answering 503 meanwhile, a private copy of it (same code, its own loopback port, one throw-away app, no Redis, no
 * metrics, no webhooks) takes that many clients doing what a reconnect storm does: the WebSocket upgrade,
 * {@code pusher:signin} and a presence join, both signed, then the close. Compiled code belongs to the JVM, not to
 * the copy, so the real node's first clients find it. Nothing of the copy is visible outside the process.
 */
final class Warmup {
    private static final Logger log = LoggerFactory.getLogger(Warmup.class);
    /** Clients in flight at once: enough to keep both event loops busy, as a storm does. */
    private static final int IN_FLIGHT = 32;
    private static final long QUIET_MILLIS = 300;
    private static final long MAX_QUIET_WAIT_MILLIS = 10_000;

    private Warmup() {}

    /** Runs {@code config.startupWarmupClients()} clients through a private node; returns how many completed. */
    static int run(ServerConfig config) {
        int clients = config.startupWarmupClients();
        if (clients <= 0) {
            return 0;
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        AppConfig app = AppConfig.defaults("warmup", "warmup-key", HexFormat.of().formatHex(secret));
        // The node's own settings (so the copy's code paths, and the types its calls see, are the node's), but alone
        // on loopback: no Redis, no apps database, no journal, no TLS, no metrics listener, and only the warm-up app.
        ServerConfig copy = config.with("host", "127.0.0.1").withPort(0).with("tls_port", -1).with("tls_cert", "")
                .with("tls_key", "").with("metrics_port", -1).with("redis_url", "").with("redis_cluster", "")
                .with("apps_from", "").with("webhook_journal_dir", "").with("shutdown_drain_seconds", 0)
                .with("shutdown_grace_seconds", 1).with("max_http_connections_per_ip", Math.max(256, 2 * IN_FLIGHT))
                .with("startup_warmup_clients", 0).withApps(List.of(app));
        log.info("Warming up: {} clients through a private copy of this node on a loopback port, /up answering 503 "
                + "until done (startup_warmup_clients); the copy's start and stop are logged too", clients);
        long started = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        try (Switchboard node = Switchboard.start(copy)) {
            ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
                Thread t = new Thread(r, "switchboard-warmup");
                t.setDaemon(true);
                return t;
            });
            try {
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < IN_FLIGHT; w++) {
                    workers.add(pool.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < clients; ) {
                            if (client(node.port(), app, i)) {
                                done.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                log.warn("Warm-up stopped early: {}", e.getCause().toString());
            } finally {
                pool.shutdownNow();
            }
        }
        long compiling = awaitCompilerQuiet();
        log.info("Warmed up with {} of {} clients in {} ms, the last {} ms waiting for the JIT's queue "
                + "(startup_warmup_clients)", done.get(), clients, (System.nanoTime() - started) / 1_000_000, compiling);
        return done.get();
    }

    /**
     * Waits until the JIT has compiled what the warm-up queued (its compilation time stops growing for
     * {@link #QUIET_MILLIS}), at most {@link #MAX_QUIET_WAIT_MILLIS}: compilations still queued when the port opens
     * would be paid during the first real clients. Returns how long it waited.
     */
    private static long awaitCompilerQuiet() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long start = System.nanoTime();
        long last = jit.getTotalCompilationTime();
        long quietSince = start;
        while (System.nanoTime() - start < MAX_QUIET_WAIT_MILLIS * 1_000_000L) {
            try {
                Thread.sleep(50); // polling a JVM counter: nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= QUIET_MILLIS * 1_000_000L) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** One client: upgrade, sign in, join its own presence room, close. False when any step was not answered. */
    private static boolean client(int port, AppConfig app, int n) {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 4096);
            out.write(("GET /app/" + app.key() + "?protocol=7&client=js&version=8.6.0&flash=false HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: c3dpdGNoYm9hcmQtd2FybXA=\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (!WarmupFrames.skipHeaders(in)) {
                return false;
            }
            String established = WarmupFrames.read(in);
            String socketId = WarmupFrames.field(established, "socket_id");
            if (socketId == null) {
                return false;
            }
            String user = "w" + n;
            String userData = "{\"id\":\"" + user + "\",\"user_info\":{\"name\":\"" + user + "\"}}";
            String signin = Signatures.auth(app.key(), app.secret(), Signatures.userString(socketId, userData));
            WarmupFrames.write(out, "{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + signin
                    + "\",\"user_data\":" + WarmupFrames.quote(userData) + "}}");
            if (!WarmupFrames.awaitEvent(in, "pusher:signin_success")) {
                return false;
            }
            String channel = "presence-warmup-" + n;
            String channelData = "{\"user_id\":\"" + user + "\",\"user_info\":{\"name\":\"" + user + "\"}}";
            String auth = Signatures.auth(app.key(), app.secret(),
                    Signatures.presenceString(socketId, channel, channelData));
            WarmupFrames.write(out, "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel
                    + "\",\"auth\":\"" + auth + "\",\"channel_data\":" + WarmupFrames.quote(channelData) + "}}");
            if (!WarmupFrames.awaitEvent(in, "pusher_internal:subscription_succeeded")) {
                return false;
            }
            WarmupFrames.close(out);
            WarmupFrames.awaitClose(in);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
