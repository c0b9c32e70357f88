package dev.switchboard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} owned by one test: started on a free loopback port in its own temporary directory,
 * with persistence off, so nothing survives a {@link #kill()} and a {@link #restart()} comes back empty (as after
 * a crash of a Redis without persistence). Never the machine's 6379. When the binary is missing and the test runs
 * as root (CI) it is installed with apt-get; otherwise the test fails with a message saying what to install.
 *
 * <p>{@link #freeze()} / {@link #thaw()} stop and continue the process (SIGSTOP / SIGCONT): its sockets stay open
 * but nothing answers, which is what a silently dead link looks like from a client.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final String password;
    private final List<String> extraArgs;
    private int port;
    private Process process;

    private RedisServer(Path dir, String password, List<String> extraArgs) {
        this.dir = dir;
        this.password = password;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** A Redis without a password. */
    public static RedisServer start() {
        return start(null);
    }

    /** A Redis that requires {@code password} (null: none); {@code extraArgs} go to redis-server as they are. */
    public static RedisServer start(String password, String... extraArgs) {
        String binary = binary();
        Path dir;
        try {
            dir = Files.createTempDirectory("switchboard-redis-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for redis-server", e);
        }
        RedisServer server = new RedisServer(dir, password, List.of(extraArgs));
        // A free port can be taken by someone else between finding and binding it; try a few fresh ones.
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            server.port = freePort();
            try {
                server.launch(binary);
                return server;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        server.close();
        throw last;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code redis://[:password@]127.0.0.1:port}. */
    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + host() + ":" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** kill -9, and wait until the process is gone. Its data is lost (no persistence). */
    public void kill() {
        if (process == null) {
            return;
        }
        thaw();
        process.destroyForcibly();
        try {
            if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die after kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process = null;
    }

    /** Starts a fresh, empty redis-server on the same port (after {@link #kill()}); a running one is killed first. */
    public void restart() {
        kill();
        launch(binary());
    }

    /** SIGSTOP: connections stay open, nothing is answered. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
    }

    /** Sends one command and returns the reply as RESP text (for checks on keys from a test). */
    public String command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (password != null) {
                out.write(resp("AUTH", password));
                readReply(in);
            }
            out.write(resp(args));
            out.flush();
            return readReply(in);
        } catch (IOException e) {
            throw new IllegalStateException("redis-server on port " + port + " did not answer " + args[0], e);
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private void launch(String binary) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", host(),
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--protected-mode", "no"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        cmd.addAll(extraArgs);
        Path log = dir.resolve("redis-" + port + ".log");
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process = null;
                throw new IllegalStateException("redis-server exited at start on port " + port + ": " + tail(log));
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20); // polling a child process that has no readiness signal of its own
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        kill();
        throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT + ": " + tail(log));
    }

    private boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " failed for redis-server " + process.pid());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String binary() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        if ("root".equals(System.getProperty("user.name"))) {
            try {
                Process apt = new ProcessBuilder("sh", "-c",
                        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server")
                        .inheritIO().start();
                if (apt.waitFor(10, TimeUnit.MINUTES) && apt.exitValue() == 0
                        && Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
                    return "/usr/bin/redis-server";
                }
            } catch (IOException e) {
                throw new IllegalStateException("redis-server is missing and apt-get failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IllegalStateException("redis-server is not installed: run `apt-get install redis-server` "
                + "(the Redis tests start their own server on a free port)");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static byte[] resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one reply; arrays are returned as their elements, one per line. */
    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.isEmpty()) {
            throw new IOException("empty reply");
        }
        switch (line.charAt(0)) {
            case '$': {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return "(nil)";
                }
                byte[] data = in.readNBytes(n + 2);
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line.substring(1));
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    b.append(readReply(in)).append('\n');
                }
                return b.toString();
            }
            default:
                return line;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.append((char) c);
        }
        if (c == -1 && b.length() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
