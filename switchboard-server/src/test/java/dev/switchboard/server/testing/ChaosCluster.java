package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.webhooks.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster for fault injection through the real TCP stack: a {@code redis-server}, and {@code nodes} Switchboard
 * processes each reaching it through its own {@link TcpProxy} (freeze one node's link, one direction of it, its
 * pub/sub connection only, or every node's at once), the heartbeat and lease given, and a webhook receiver for the
 * default app. Clients are {@link ChaosClient}s; the HTTP API is read on every node with signed requests.
 */
public final class ChaosCluster implements AutoCloseable {
    public static final String APP_ID = SwitchboardExtension.APP_ID;
    public static final String APP_KEY = SwitchboardExtension.APP_KEY;
    public static final String APP_SECRET = SwitchboardExtension.APP_SECRET;

    private final RedisServer redis;
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Receiver webhooks;
    private final AppAuth auth = new AppAuth(APP_ID, APP_KEY, APP_SECRET, SwitchboardExtension.ENCRYPTION_MASTER_KEY);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<com.pusher.rest.Pusher> api = new ArrayList<>();
    private final Path dir;

    public ChaosCluster(int count, int heartbeatMillis, int nodeTimeoutMillis) {
        try {
            dir = Files.createTempDirectory("switchboard-chaos-");
            webhooks = new Receiver();
            redis = RedisServer.start();
            Path config = dir.resolve("config.json");
            Files.writeString(config, Json.write(config(heartbeatMillis, nodeTimeoutMillis)));
            for (int i = 1; i <= count; i++) {
                TcpProxy proxy = new TcpProxy(redis.port());
                proxies.add(proxy);
                nodes.add(NodeProcess.start("node" + i, dir, List.of("--config", config.toString(), "--redis",
                        "redis://127.0.0.1:" + proxy.port())));
                com.pusher.rest.Pusher sdk = new com.pusher.rest.Pusher(APP_ID, APP_KEY, APP_SECRET);
                sdk.setHost("127.0.0.1:" + nodes.get(i - 1).port());
                sdk.setEncrypted(false);
                api.add(sdk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> config(int heartbeatMillis, int nodeTimeoutMillis) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("cluster_heartbeat_millis", heartbeatMillis);
        settings.put("cluster_node_timeout_millis", nodeTimeoutMillis);
        // Webhooks of different nodes are ordered by arrival here. With a leave delay: a leave is held in the state
        // and cancelled by a re-join on any node, and a cleaner's leaves go at once (docs/webhooks.md); short, so
        // that the removals of each scenario arrive within its wait.
        settings.put("webhook_leave_delay_millis", 300);
        settings.put("webhook_batch_millis", 50);
        settings.put("shutdown_grace_seconds", 2);
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("id", APP_ID);
        app.put("key", APP_KEY);
        app.put("secret", APP_SECRET);
        app.put("webhooks", List.of(Map.of("url", webhooks.url())));
        settings.put("apps", List.of(app));
        return settings;
    }

    /** Node {@code n}, 1-based. */
    public NodeProcess node(int n) {
        return nodes.get(n - 1);
    }

    public List<NodeProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** The link of node {@code n} to Redis. */
    public TcpProxy proxy(int n) {
        return proxies.get(n - 1);
    }

    public List<TcpProxy> proxies() {
        return List.copyOf(proxies);
    }

    public Receiver webhooks() {
        return webhooks;
    }

    public AppAuth auth() {
        return auth;
    }

    public HttpClient http() {
        return http;
    }

    /** The presence channel's user ids as node {@code n}'s HTTP API answers; null when it cannot (503, degraded). */
    public List<String> users(int n, String channel) {
        try {
            var r = api.get(n - 1).get("/channels/" + channel + "/users");
            if (r.getHttpStatus() == null || r.getHttpStatus() != 200) {
                return null;
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode u : Json.parse(r.getMessage()).path("users")) {
                ids.add(u.path("id").asText());
            }
            return ids;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The user_count node {@code n}'s HTTP API gives the channel; -1 when it cannot answer. */
    public int userCount(int n, String channel) {
        try {
            var r = api.get(n - 1).get("/channels/" + channel, Map.of("info", "user_count"));
            if (r.getHttpStatus() == null || r.getHttpStatus() != 200) {
                return -1;
            }
            return Json.parse(r.getMessage()).path("user_count").asInt(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The tail of every node's log and where each running node's thread dump went, for a failed scenario. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (NodeProcess n : nodes) {
            if (n.running()) {
                Path dump = dir.resolve(n.name() + "-threads-" + System.nanoTime() + ".txt");
                try {
                    new ProcessBuilder("jcmd", Long.toString(n.pid()), "Thread.print").redirectErrorStream(true)
                            .redirectOutput(dump.toFile()).start().waitFor();
                    out.append("thread dump of ").append(n.name()).append(": ").append(dump).append('\n');
                } catch (IOException e) {
                    out.append("no thread dump of ").append(n.name()).append(": ").append(e).append('\n');
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (NodeProcess n : nodes) {
            out.append("--- ").append(n.name()).append(" ---\n").append(n.logTail(3000)).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (com.pusher.rest.Pusher sdk : api) {
            try {
                sdk.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        nodes.forEach(NodeProcess::close);
        proxies.forEach(TcpProxy::close);
        redis.close();
        webhooks.close();
    }
}
