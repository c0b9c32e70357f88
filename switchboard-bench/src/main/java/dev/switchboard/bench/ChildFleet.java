package dev.switchboard.bench;

import dev.switchboard.protocol.WireCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A share of the clients run by a child JVM (same class path, {@code --child-index}): each process has
 * its own open-files limit. Parent and child talk in lines over the child's stdin/stdout:
 * {@code BEGIN <step>} → {@code OK}, {@code COUNT} → {@code COUNT <n>}, {@code END} → {@code STATS <json>},
 * {@code QUIT}. The child announces {@code READY <json>} once its connections are set up; its stderr
 * is the parent's.
 */
final class ChildFleet implements Fleet {
    private final Process process;
    private final BufferedReader in;
    private final PrintWriter out;

    ChildFleet(Options o, int index, int processes, int offset, int count) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xss512k");
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Bench.class.getName());
        cmd.addAll(o.childArgs(Map.of(
                "child-index", Integer.toString(index),
                "child-offset", Integer.toString(offset),
                "connections", Integer.toString(count),
                "processes", "1",
                "ramp-inflight", Integer.toString(Math.max(1, o.integer("ramp-inflight", 200) / processes)),
                "threads", Integer.toString(Math.max(1, o.threads())))));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        out = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    private String expect(String prefix) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
            System.err.println("[child] " + line);
        }
        throw new IOException("child process ended before answering " + prefix.trim());
    }

    @Override
    public ConnectResult connect() throws IOException {
        return ConnectResult.fromJson(WireCodec.parse(expect("READY ")));
    }

    @Override
    public void beginStep(int step) throws IOException {
        out.println("BEGIN " + step);
        expect("OK");
    }

    @Override
    public long delivered() throws IOException {
        out.println("COUNT");
        return Long.parseLong(expect("COUNT "));
    }

    @Override
    public StepStats endStep() throws IOException {
        out.println("END");
        return StepStats.fromJson(WireCodec.parse(expect("STATS ")));
    }

    @Override
    public void close() {
        out.println("QUIT");
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }

    /** The child's side: runs {@code fleet} and answers the parent on stdin/stdout until QUIT. */
    static void serve(Fleet fleet) throws Exception {
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ConnectResult r = fleet.connect();
        stdout.println("READY " + WireCodec.write(r.toJson()));
        long cpuAtBegin = ProcStats.selfCpuMicros();
        String line;
        while ((line = stdin.readLine()) != null) {
            if (line.startsWith("BEGIN ")) {
                fleet.beginStep(Integer.parseInt(line.substring(6).trim()));
                cpuAtBegin = ProcStats.selfCpuMicros();
                stdout.println("OK");
            } else if (line.equals("COUNT")) {
                stdout.println("COUNT " + fleet.delivered());
            } else if (line.equals("END")) {
                StepStats s = fleet.endStep();
                s.clientCpuMicros = ProcStats.selfCpuMicros() - cpuAtBegin;
                stdout.println("STATS " + WireCodec.write(s.toJson()));
            } else if (line.equals("QUIT")) {
                break;
            }
        }
        fleet.close();
    }
}
