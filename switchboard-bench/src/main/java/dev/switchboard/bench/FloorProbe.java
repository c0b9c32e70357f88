package dev.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Locale;

/**
 * The floor of "one socket write per delivery" on this machine: the CPU time a thread pays for one plain
 * non-blocking NIO write of a small buffer to a loopback TCP socket whose other end another thread drains.
 * Most of it is the kernel's TCP loopback work (on loopback the sender also pays the receive path).
 *
 * <pre>java -cp switchboard-bench/target/switchboard-bench.jar dev.switchboard.bench.FloorProbe [bytes=100] [sockets=1000] [writes=200000] [rounds=5]</pre>
 *
 * Prints one line per round and a final {@code floor_us_per_write=<median>} line for scripts. Pin it like the
 * server (e.g. {@code taskset -c 0,1}: the writer and the reader each want a core) for comparable figures.
 */
public final class FloorProbe {
    private FloorProbe() {}

    public static void main(String[] args) throws Exception {
        int bytes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int sockets = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int writes = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        double[] perWrite = measure(bytes, sockets, writes, rounds, true);
        double median = median(perWrite);
        System.out.printf(Locale.ROOT, "floor_us_per_write=%.3f  (bytes=%d, sockets=%d, writes/round=%d, rounds=%d, min=%.3f, max=%.3f)%n",
                median, bytes, sockets, writes, rounds, Arrays.stream(perWrite).min().orElse(0),
                Arrays.stream(perWrite).max().orElse(0));
    }

    /**
     * CPU µs per write of the writing thread, one figure per round (after one unreported warm-up round). The
     * writes go round-robin over {@code sockets} connections, as a fan-out does: with one socket the kernel's
     * TCP autocorking would merge back-to-back small writes into one segment and hide the per-write cost.
     */
    static double[] measure(int bytes, int sockets, int writes, int rounds, boolean print)
            throws IOException, InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SocketChannel[] writers = new SocketChannel[sockets];
        SocketChannel[] readers = new SocketChannel[sockets];
        try (ServerSocketChannel server = ServerSocketChannel.open();
             Selector drainSelector = Selector.open();
             Selector selector = Selector.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), sockets);
            for (int i = 0; i < sockets; i++) {
                writers[i] = SocketChannel.open(server.getLocalAddress());
                writers[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
                writers[i].configureBlocking(false);
                writers[i].register(selector, 0);
                readers[i] = server.accept();
                readers[i].configureBlocking(false);
                readers[i].register(drainSelector, SelectionKey.OP_READ);
            }
            Thread drain = new Thread(() -> drain(drainSelector), "floor-drain");
            drain.setDaemon(true);
            drain.start();
            ByteBuffer payload = ByteBuffer.allocateDirect(bytes);
            for (int i = 0; i < bytes; i++) {
                payload.put((byte) ('a' + i % 26));
            }
            payload.flip();
            double[] out = new double[rounds];
            for (int r = -1; r < rounds; r++) {
                long full = 0;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < writes; i++) {
                    SocketChannel w = writers[i % sockets];
                    payload.rewind();
                    while (payload.hasRemaining()) {
                        if (w.write(payload) == 0) {
                            // socket buffer full: wait (off-CPU) until the drain makes room
                            full++;
                            SelectionKey key = w.keyFor(selector);
                            key.interestOps(SelectionKey.OP_WRITE);
                            selector.select();
                            selector.selectedKeys().clear();
                            key.interestOps(0);
                        }
                    }
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                long wall = System.nanoTime() - wall0;
                if (r >= 0) {
                    out[r] = cpu / 1000.0 / writes;
                    if (print) {
                        System.out.printf(Locale.ROOT, "round %d: %.3f us CPU/write, %.3f us wall/write, %d waits for room%n",
                                r, out[r], wall / 1000.0 / writes, full);
                    }
                }
            }
            drain.interrupt();
            drainSelector.wakeup();
            drain.join(2000);
            return out;
        } finally {
            for (int i = 0; i < sockets; i++) {
                closeQuietly(writers[i]);
                closeQuietly(readers[i]);
            }
        }
    }

    private static void drain(Selector selector) {
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                selector.select();
                for (SelectionKey k : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    while (ch.read(buf) > 0) {
                        buf.clear();
                    }
                    buf.clear();
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // done
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
