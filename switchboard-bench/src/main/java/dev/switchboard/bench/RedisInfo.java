package dev.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's own account of itself, read with {@code INFO} over a plain socket (the bench has no Redis client, and
 * one command needs none): memory, traffic and commands, summed over the servers of a Redis Cluster. What the
 * capacity check compares with the model: bytes and commands per publish, memory per connection held.
 */
final class RedisInfo {
    /** The INFO fields kept, all numbers; summed over the servers. */
    static final List<String> FIELDS = List.of("used_memory", "used_memory_rss", "total_net_input_bytes",
            "total_net_output_bytes", "total_net_repl_input_bytes", "total_net_repl_output_bytes", "total_commands_processed", "used_cpu_sys", "used_cpu_user", "connected_clients");

    private RedisInfo() {}

    /** The {@link #FIELDS} summed over {@code ports} on {@code host}; empty when there are none or one fails. */
    static Map<String, Double> read(String host, int[] ports) {
        Map<String, Double> sum = new LinkedHashMap<>();
        for (int port : ports) {
            Map<String, Double> one;
            try {
                one = parse(info(host, port));
            } catch (IOException e) {
                System.err.println("warning: INFO of redis " + host + ":" + port + " failed: " + e.getMessage());
                return Map.of();
            }
            one.forEach((k, v) -> sum.merge(k, v, Double::sum));
        }
        return sum;
    }

    /**
     * Bytes between Redis and its clients, in and out, in a delta of {@link #read}s: the totals include replication
     * (master to replica, counted out at the one and in at the other), which the model leaves out.
     */
    static double clientBytes(Map<String, Double> delta) {
        return delta.getOrDefault("total_net_input_bytes", 0.0) + delta.getOrDefault("total_net_output_bytes", 0.0)
                - delta.getOrDefault("total_net_repl_input_bytes", 0.0) - delta.getOrDefault("total_net_repl_output_bytes", 0.0);
    }

    /** {@code after − before}, field by field (empty when either is). */
    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new LinkedHashMap<>();
        if (!before.isEmpty() && !after.isEmpty()) {
            after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        }
        return d;
    }

    static Map<String, Double> parse(String info) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && FIELDS.contains(line.substring(0, colon))) {
                out.put(line.substring(0, colon), Double.parseDouble(line.substring(colon + 1).trim()));
            }
        }
        return out;
    }

    private static String info(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = line(in); // "$<length>" of a bulk string
            if (!head.startsWith("$")) {
                throw new IOException("unexpected reply " + head);
            }
            byte[] body = in.readNBytes(Integer.parseInt(head.substring(1)));
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
