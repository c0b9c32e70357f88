package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Switchboard node as its own operating-system process, the way an operator runs it ({@code cli.Main}
 * with flags and a config file), so a test can kill it with -9, stop it with SIGTERM and start it again on
 * the same port. It runs from the test JVM's own classpath: the JUnit tests run before the package phase
 * builds the shaded jar, and the classes are the same. Output goes to a log file whose tail failing tests
 * print ({@link #logTail}).
 */
public final class NodeProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * Small and quick to start: a node in a test holds a few dozen sockets, and three of them share two cores
     * with the test JVM, so C1 only (no C2 compile threads) and the serial collector.
     */
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-Xss512k",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.tryReflectionSetAccessible=true");

    private final String name;
    private final int port;
    private final List<String> args;
    private final Path log;
    /** JVM flags after the defaults (a later -Xmx wins); empty for none. */
    private final List<String> jvmFlags;
    /** The process's open-file limit (soft and hard, through prlimit); 0: inherited. */
    private final int openFiles;
    private Process process;

    private NodeProcess(String name, int port, List<String> args, Path log, List<String> jvmFlags, int openFiles) {
        this.name = name;
        this.port = port;
        this.args = args;
        this.log = log;
        this.jvmFlags = jvmFlags;
        this.openFiles = openFiles;
    }

    /**
     * Starts a node named {@code name} (for logs) on a free port with the server flags {@code args} (never
     * {@code --port}: the fixture picks it) and waits until it answers HTTP.
     */
    public static NodeProcess start(String name, Path dir, List<String> args) {
        return start(name, dir, args, List.of(), 0);
    }

    /**
     * As {@link #start(String, Path, List)}, with more JVM flags ({@code -Xmx64m}: a small heap) and, when
     * {@code openFiles} is above 0, the process's open-file limit lowered to it with {@code prlimit}, as
     * {@code ulimit -n} would.
     */
    public static NodeProcess start(String name, Path dir, List<String> args, List<String> jvmFlags, int openFiles) {
        NodeProcess node = new NodeProcess(name, freePort(), List.copyOf(args), dir.resolve(name + ".log"),
                List.copyOf(jvmFlags), openFiles);
        node.launch();
        return node;
    }

    /** The node's resident set in KiB (VmRSS of /proc/PID/status); -1 when stopped or unknown. */
    public long rssKib() {
        long pid = pid();
        if (pid < 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public String name() { return name; }

    public int port() { return port; }

    public synchronized boolean running() { return process != null && process.isAlive(); }

    /** The node's process id (CPU readings in /proc); -1 while stopped. */
    public synchronized long pid() { return running() ? process.pid() : -1; }

    /** SIGKILL: the node gets no chance to say goodbye; the cluster must notice through its heartbeats. */
    public synchronized void kill9() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** SIGTERM, as an orchestrator stops a node, and wait for the process to exit (its shutdown hook ran). */
    public synchronized int terminate() {
        if (process == null) {
            return 0;
        }
        process.destroy();
        return awaitExit();
    }

    /** Starts the node again on the same port with the same flags (a fresh node id). */
    public synchronized void restart() {
        kill9();
        launch();
    }

    /** GET {@code path} on this node: status and body. */
    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of {@code GET /up} as JSON (whatever its status: 200 healthy, else degraded or draining). */
    public JsonNode up() {
        return Json.parse(get("/up").body());
    }

    /** The last {@code chars} characters of the node's output (all of its restarts). */
    public String logTail(int chars) {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() <= chars ? text : "…" + text.substring(text.length() - chars);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (running()) {
            terminate();
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(name + " did not exit within " + STOP_TIMEOUT + "\n" + logTail(3000));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            process = null;
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>();
        if (openFiles > 0) {
            cmd.addAll(List.of("prlimit", "--nofile=" + openFiles + ":" + openFiles, "--"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.switchboard.server.cli.Main");
        cmd.add("--port");
        cmd.add(String.valueOf(port));
        // Several nodes run at once and the default metrics port is one fixed port.
        cmd.add("--metrics-port");
        cmd.add("0");
        cmd.addAll(args);
        try {
            Files.writeString(log, "=== " + name + ": " + String.join(" ", args) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // The node is configured by its flags alone, not by whatever SWITCHBOARD_* the test run inherited.
            pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        try {
            Awaitility.await(name + " answering GET /up on port " + port).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                    .until(() -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException(name + " exited at start (" + started.exitValue() + ")\n"
                                    + logTail(3000));
                        }
                        get("/up");
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            started.destroyForcibly();
            throw new IllegalStateException(name + " did not answer on port " + port + "\n" + logTail(3000), e);
        }
    }
}
