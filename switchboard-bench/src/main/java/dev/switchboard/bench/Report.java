package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outputs of a run: one JSON document (everything, including the environment) and a Markdown
 * section appended to {@code BENCHMARKS.md} with the machine, the JVM, the command and one row per step.
 */
final class Report {
    private Report() {}

    /** The fields every result starts with: what ran, where, against what, when. */
    static ObjectNode header(Options o) {
        ObjectNode n = WireCodec.mapper().createObjectNode();
        n.put("scenario", o.scenario);
        n.put("label", o.label());
        n.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        n.put("command", o.commandLine());
        ObjectNode server = n.putObject("server");
        server.put("host", o.host());
        server.put("port", o.port());
        server.put("pid", o.serverPid());
        server.put("cmdline", cmdline(o.serverPid()));
        server.put("affinity", affinity(o.serverPid()));
        n.set("machine", machine());
        return n;
    }

    static ObjectNode machine() {
        ObjectNode m = WireCodec.mapper().createObjectNode();
        m.put("nproc", machineCpus()); // the machine's, not this process's (taskset narrows the latter)
        m.put("benchCpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("memTotalKb", memTotalKb());
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvmFlags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("transport", Net.transportName());
        m.put("benchAffinity", affinity("self"));
        m.put("loadAverageAtStart", loadAverage());
        return m;
    }

    /** The 1/5/15-minute load averages: how busy the (shared) machine was when the run began. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static int machineCpus() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    private static long memTotalKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    static String cmdline(String pid) {
        if (pid == null || pid.equals("0")) {
            return null;
        }
        pid = pid.split(",")[0]; // of a list (the nodes of a cluster), the first
        try {
            return new String(Files.readAllBytes(Path.of("/proc", pid, "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** The CPUs a process may run on (as taskset pinned it). */
    static String affinity(String pid) {
        if (pid == null || pid.equals("0")) {
            return null;
        }
        pid = pid.split(",")[0];
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return null;
    }

    /** Latency percentiles of {@code h} (microseconds) into {@code n}, in milliseconds. */
    static void latency(ObjectNode n, String prefix, Histogram h) {
        n.put(prefix + "Count", h.getTotalCount());
        n.put(prefix + "P50Ms", ms(h.getValueAtPercentile(50)));
        n.put(prefix + "P99Ms", ms(h.getValueAtPercentile(99)));
        n.put(prefix + "P999Ms", ms(h.getValueAtPercentile(99.9)));
        n.put(prefix + "MaxMs", ms(h.getMaxValue()));
    }

    /**
     * True when the generator used at least 90 % of the CPUs it may run on (all its processes together):
     * then it, not the server, may be what limits the step, and latency includes client queueing.
     */
    static boolean clientBound(double clientCpuPercent) {
        // child processes inherit the parent's affinity, so this is the CPU budget of the whole generator
        return clientCpuPercent >= 90.0 * Runtime.getRuntime().availableProcessors();
    }

    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    static String fmt(double v) {
        if (Double.isNaN(v) || v < 0) {
            return "–";
        }
        if (v >= 1000) {
            return String.format("%,.0f", v);
        }
        if (v >= 10) {
            return String.format("%.1f", v);
        }
        return String.format("%.2f", v);
    }

    /**
     * Writes {@code result} to {@code --out} (default {@code bench-<scenario>-<label>.json}) and appends
     * a Markdown section with {@code rows} to {@code --markdown} (default {@code BENCHMARKS.md}).
     */
    static Path write(Options o, ObjectNode result, String title, List<Map<String, String>> rows, String notes)
            throws IOException {
        Path out = Path.of(o.str("out", "bench-" + o.scenario + "-" + o.label() + ".json"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, WireCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        System.out.println("result: " + out.toAbsolutePath());
        String md = markdown(result, title, rows, notes);
        System.out.print(md);
        String mdPath = o.str("markdown", "BENCHMARKS.md");
        if (!mdPath.equals("none")) {
            Files.writeString(Path.of(mdPath), md, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return out;
    }

    static String markdown(ObjectNode result, String title, List<Map<String, String>> rows, String notes) {
        StringBuilder sb = new StringBuilder();
        ObjectNode m = (ObjectNode) result.get("machine");
        ObjectNode s = (ObjectNode) result.get("server");
        sb.append("\n### ").append(title).append(" — ").append(result.get("label").asText())
                .append(" (").append(result.get("date").asText()).append(")\n\n");
        sb.append("- machine: ").append(m.get("nproc").asInt()).append(" × ").append(m.get("cpu").asText())
                .append(", ").append(m.get("memTotalKb").asLong() / 1024).append(" MiB, ")
                .append(m.get("kernel").asText()).append(", load average at start ")
                .append(m.path("loadAverageAtStart").asText("?")).append('\n');
        sb.append("- bench JVM: ").append(m.get("jvm").asText()).append(", flags `")
                .append(m.get("jvmFlags").asText()).append("`, transport ").append(m.get("transport").asText())
                .append(", CPUs ").append(m.path("benchAffinity").asText("?")).append('\n');
        sb.append("- server: pid ").append(s.get("pid").asText()).append(", CPUs ")
                .append(s.path("affinity").asText("?")).append(", `")
                .append(s.path("cmdline").asText("?")).append("`\n");
        sb.append("- command: `").append(result.get("command").asText()).append("`\n");
        if (notes != null && !notes.isEmpty()) {
            sb.append("- ").append(notes).append('\n');
        }
        sb.append('\n');
        if (!rows.isEmpty()) {
            List<String> cols = List.copyOf(rows.get(0).keySet());
            sb.append("| ").append(String.join(" | ", cols)).append(" |\n|");
            for (int i = 0; i < cols.size(); i++) {
                sb.append("---|");
            }
            sb.append('\n');
            for (Map<String, String> r : rows) {
                sb.append("|");
                for (String c : cols) {
                    sb.append(' ').append(r.getOrDefault(c, "")).append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static Map<String, String> row() {
        return new LinkedHashMap<>();
    }

    static ArrayNode array() {
        return WireCodec.mapper().createArrayNode();
    }
}
