package dev.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readings of a process from {@code /proc}: CPU time (utime + stime, the primary figure of every run),
 * resident memory and, when the process is a JVM, its live heap through {@code jcmd}. A pid of 0 means
 * "not given" and every reading returns -1.
 */
final class ProcStats {
    /** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux we run on (getconf CLK_TCK). */
    static final long CLK_TCK = clkTck();
    /** A heap line of GC.heap_info ("… total 32768K, used 359K"); Metaspace lines have no "total". */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private ProcStats() {}

    /** Total CPU time (user + system) of {@code pid} in microseconds, or -1. "self" reads this JVM. */
    /** CPU time of {@code pid}, or the sum over a comma-separated list of pids (the servers of a Redis Cluster). */
    static long cpuMicros(String pid) {
        if (pid == null || pid.isEmpty() || pid.equals("0")) {
            return -1;
        }
        if (pid.indexOf(',') >= 0) {
            long sum = 0;
            for (String one : pid.split(",")) {
                long t = cpuMicros(one.trim());
                if (t < 0) {
                    return -1;
                }
                sum += t;
            }
            return sum;
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
            // the command name may contain spaces and parentheses: fields start after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
            return ticks * 1_000_000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long selfCpuMicros() {
        return cpuMicros("self");
    }

    /** VmRSS of {@code pid} in bytes, or summed over a comma-separated list of pids; -1 when any is unreadable. */
    static long rssBytes(String pid) {
        if (pid != null && pid.indexOf(',') >= 0) {
            long sum = 0;
            for (String one : pid.split(",")) {
                long b = rssBytes(one.trim());
                if (b < 0) {
                    return -1;
                }
                sum += b;
            }
            return sum;
        }
        long kb = statusKb(pid, "VmRSS:");
        return kb < 0 ? -1 : kb * 1024;
    }

    static long statusKb(String pid, String field) {
        if (pid == null || pid.isEmpty() || pid.equals("0")) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /**
     * CPU time of a HotSpot JVM's JIT compiler threads ({@code C1/C2 CompilerThread*}) in microseconds, summed over a
     * comma-separated list of pids; -1 when none has such threads (not a JVM). What a storm on a fresh JVM spends
     * compiling rather than serving.
     */
    static long jitCpuMicros(String pid) {
        if (pid == null || pid.isEmpty() || pid.equals("0")) {
            return -1;
        }
        long sum = 0;
        boolean any = false;
        for (String one : pid.split(",")) {
            Path tasks = Path.of("/proc", one.trim(), "task");
            try (var dirs = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) dirs::iterator) {
                    String stat;
                    try {
                        stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    } catch (IOException gone) {
                        continue; // the thread ended
                    }
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!comm.startsWith("C1 Compiler") && !comm.startsWith("C2 Compiler")) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000L / CLK_TCK;
                    any = true;
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return any ? sum : -1;
    }

    static boolean isJvm(String pid) {
        try {
            byte[] cmd = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
            String first = new String(cmd, StandardCharsets.UTF_8).split("\0")[0];
            return first.endsWith("java");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Live heap of a JVM after a full GC, in bytes, through {@code jcmd <pid> GC.run} and
     * {@code GC.heap_info}; -1 for a process that is not a JVM (soketi) or when jcmd fails.
     */
    static long jvmLiveHeapBytes(String pid) {
        if (pid == null || pid.equals("0") || !isJvm(pid)) {
            return -1;
        }
        try {
            run("jcmd", pid, "GC.run");
            String out = run("jcmd", pid, "GC.heap_info");
            return heapUsedBytes(out);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The used heap in a GC.heap_info answer: the sum over its generations (serial and parallel
     * collectors print a young and an old generation, G1 one line for the whole heap); -1 if none.
     */
    static long heapUsedBytes(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        long kb = 0;
        boolean found = false;
        while (m.find()) {
            kb += Long.parseLong(m.group(1));
            found = true;
        }
        return found ? kb * 1024 : -1;
    }

    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static long clkTck() {
        try {
            return Long.parseLong(run("getconf", "CLK_TCK").trim());
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }
}
