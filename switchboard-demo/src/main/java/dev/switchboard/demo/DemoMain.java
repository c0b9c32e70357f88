package dev.switchboard.demo;

import dev.switchboard.sdk.SwitchboardClient;
import java.util.Map;

/**
 * {@code java -jar switchboard-demo.jar}: the demo against a running Switchboard. Settings from the environment:
 * DEMO_HOST (127.0.0.1), DEMO_PORT (3000; 0 for a free one), SWITCHBOARD_HOST (127.0.0.1), SWITCHBOARD_PORT
 * (6001), DEMO_APP_ID / DEMO_APP_KEY / DEMO_APP_SECRET (the server's default app).
 */
public final class DemoMain {
    private DemoMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String host = env.getOrDefault("DEMO_HOST", "127.0.0.1");
        int port = Integer.parseInt(env.getOrDefault("DEMO_PORT", "3000"));
        String sbHost = env.getOrDefault("SWITCHBOARD_HOST", "127.0.0.1");
        int sbPort = Integer.parseInt(env.getOrDefault("SWITCHBOARD_PORT", "6001"));
        String appId = env.getOrDefault("DEMO_APP_ID", "app-id");
        String key = env.getOrDefault("DEMO_APP_KEY", "app-key");
        String secret = env.getOrDefault("DEMO_APP_SECRET", "app-secret");

        SwitchboardClient client = SwitchboardClient.builder().appId(appId).key(key).secret(secret)
                .host(sbHost).port(sbPort).useTLS(false).build();
        // The page connects to Switchboard on the host it was loaded from, at Switchboard's port.
        DemoHttp http = new DemoHttp(client, Map.of("key", key, "ws_port", sbPort));
        int bound = http.start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(http::stop, "demo-shutdown"));
        System.out.println("Demo listening on http://" + host + ":" + bound + "/ (Switchboard at " + sbHost + ":"
                + sbPort + ", app " + appId + ")");
    }
}
