package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code --name value} pairs (or {@code --name=value}; a flag without a value is
 * "true"). Every option, its default and its meaning is listed in {@link #HELP}; an unknown option is an
 * error so that a typo never silently runs the wrong benchmark.
 */
final class Options {
    static final String HELP = String.join("\n",
            "usage: bench <fanout|users|idle|http|presence|storm|rooms> [options]",
            "  --host H              server host (127.0.0.1)",
            "  --port P              server port (6001)",
            "  --wss                 WebSocket clients use wss (TLS, OpenSSL) on their ports (--ws-ports or --port); the",
            "                        certificate is not checked: the bench measures, it does not authenticate",
            "  --app-id ID           app id (app-id)",
            "  --key K               app key (app-key)",
            "  --secret S            app secret (app-secret)",
            "  --server-pid PID      server process for CPU/RSS readings (0 = none)",
            "  --ws-ports P1,P2,..   WebSocket clients spread over these ports, round robin (--port): cluster nodes",
            "  --node-pids A,B,..    fanout/users/storm/rooms: every cluster node's process, CPU read per node and step",
            "  --redis-pid P1,P2,..  fanout/users/storm/rooms: the redis-server(s) of the cluster (every server of a Redis\n"
            + "                        Cluster), CPU read per step and summed",
            "  --redis-ports P1,..   rooms: the redis-server(s) whose INFO is read (memory; traffic per publish)",
            "  --label L             name of the server in the report (server)",
            "  --connections N       WebSocket clients (fanout 1000, users 1000, idle 1000, presence 50, storm 1000, rooms 1000)",
            "  --rates R1,R2,..      requested rates per step (publishes/s; presence: joins/s)",
            "  --duration-s S        seconds per rate step (10)",
            "  --warmup-s S          warm-up seconds, not reported (3)",
            "  --warmup-rate R       rate of the warm-up (the highest of --rates)",
            "  --baseline-s S        seconds of idle server CPU measured after the warm-up (storm: before the first phase) (2)",
            "  --drain-s S           max seconds to wait for deliveries after a step (5)",
            "  --processes K         split the WebSocket clients over K JVM processes (1)",
            "  --threads T           event loops per process (available processors)",
            "  --publishers C        keep-alive HTTP connections of the publisher (8)",
            "  --concurrency C       http scenario: concurrent requests (16)",
            "  --payload-bytes B     padding added to each event's data (0)",
            "  --ramp-inflight N     WebSocket handshakes in flight while connecting (200)",
            "  --subscribe true|false   idle: each connection subscribes to its own channel (true)",
            "  --signin true|false      idle: each connection signs in (false); storm: each client signs in before joining (true)",
            "  --observers N         presence: stationary members counting member events (10)",
            "  --rooms R             storm: clients share R presence rooms (0: a room each) (0)",
            "  --room-size S         rooms: members of each presence room (100)",
            "  --warmup-clients N    storm: clients of the warm-up storm before the measured one, the cold figure (1000)",
            "  --out FILE            JSON result (bench-<scenario>-<label>.json)",
            "  --markdown FILE|none  Markdown table appended here (BENCHMARKS.md)",
            "  --chart FILE|none     fanout: SVG chart written beside the JSON (<out>.svg)",
            "  --command TEXT        command line recorded in the report (the scripts pass theirs)");

    private static final List<String> KNOWN = List.of("host", "port", "app-id", "key", "secret", "server-pid",
            "ws-ports", "node-pids", "redis-pid", "redis-ports", "wss",
            "label", "connections", "rates", "duration-s", "warmup-s", "warmup-rate", "baseline-s", "drain-s", "processes", "threads",
            "publishers", "concurrency", "payload-bytes", "ramp-inflight", "subscribe", "signin", "observers", "rooms", "room-size", "warmup-clients",
            "out", "markdown", "chart", "command",
            // internal: a child process of --processes
            "child-index", "child-offset");

    final String scenario;
    private final Map<String, String> values;
    final List<String> raw;

    private Options(String scenario, Map<String, String> values, List<String> raw) {
        this.scenario = scenario;
        this.values = values;
        this.raw = raw;
    }

    static Options parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("missing scenario\n" + HELP);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + "\n" + HELP);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "\n" + HELP);
            }
            values.put(name, value);
        }
        return new Options(args[0], values, List.of(args));
    }

    String str(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt) {
        String v = values.get(name);
        return v == null ? dflt : Integer.parseInt(v.trim());
    }

    double number(String name, double dflt) {
        String v = values.get(name);
        return v == null ? dflt : Double.parseDouble(v.trim());
    }

    boolean flag(String name, boolean dflt) {
        String v = values.get(name);
        return v == null ? dflt : Boolean.parseBoolean(v.trim());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    List<Double> rates(String dflt) {
        List<Double> out = new ArrayList<>();
        for (String s : str("rates", dflt).split(",")) {
            if (!s.isBlank()) {
                out.add(Double.parseDouble(s.trim()));
            }
        }
        return out;
    }

    String host() {
        return str("host", "127.0.0.1");
    }

    int port() {
        return integer("port", 6001);
    }

    String appId() {
        return str("app-id", "app-id");
    }

    String key() {
        return str("key", "app-key");
    }

    String secret() {
        return str("secret", "app-secret");
    }

    String serverPid() {
        return str("server-pid", "0");
    }

    /** The ports the WebSocket clients use, client i on the (i mod n)-th; just --port unless --ws-ports. */
    int[] wsPorts() {
        String v = str("ws-ports", "");
        if (v.isBlank()) {
            return new int[] {port()};
        }
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    /** --redis-ports (none without it). */
    int[] redisPorts() {
        return java.util.Arrays.stream(str("redis-ports", "").split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    /** --node-pids as a list (empty without it). */
    List<String> nodePids() {
        List<String> out = new ArrayList<>();
        for (String s : str("node-pids", "").split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    String redisPid() {
        return str("redis-pid", "0");
    }

    String label() {
        return str("label", "server");
    }

    int threads() {
        return integer("threads", Runtime.getRuntime().availableProcessors());
    }

    /** The arguments to hand a child process: these options with some replaced. */
    List<String> childArgs(Map<String, String> overrides) {
        List<String> out = new ArrayList<>();
        out.add(scenario);
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        for (Map.Entry<String, String> e : merged.entrySet()) {
            out.add("--" + e.getKey());
            out.add(e.getValue());
        }
        return out;
    }

    /** The command line as typed, for the report, unless a script passed its own with --command. */
    String commandLine() {
        return str("command", "bench " + String.join(" ", raw));
    }
}
