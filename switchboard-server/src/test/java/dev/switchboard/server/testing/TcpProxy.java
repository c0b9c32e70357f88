package dev.switchboard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A loopback TCP forwarder in front of a server, to make links fall silent: {@link #silenceOpenLinks()} keeps every
 * connection open at both ends but stops carrying bytes on them (what a dead NAT entry or a frozen peer looks like),
 * while connections opened afterwards are carried normally. {@link #cut()} is the loud failure instead: every
 * connection closed and new ones refused, until {@link #restore()} (a server that went away, then came back).
 * {@link #freeze} is a partition that heals: bytes stop flowing in one direction or both, on every connection, open
 * or new, without being lost: the proxy stops reading, TCP holds them, and {@link #thaw()} lets them through in
 * order (the backlog a real partition delivers when it heals). {@link #freezePubSub} freezes only the connections
 * that subscribed to pub/sub (the client sent a SUBSCRIBE), for a node whose state link works and whose pub/sub
 * link does not.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean refusing;
    private volatile java.util.Set<Direction> frozen = java.util.Set.of();
    private volatile boolean frozenPubSubOnly;

    /** Which way bytes flow: from the proxy's clients to the server, or back. */
    public enum Direction { TO_SERVER, TO_CLIENT }

    /** Makes, per connection, what is shown the bytes the client sends upstream; null: nothing watches. */
    private volatile Supplier<BytesObserver> observers;

    /** Shown each chunk a client sends towards the server, in order, on that connection's pump thread. */
    @FunctionalInterface
    public interface BytesObserver {
        void accept(byte[] buf, int length);
    }

    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean silent;
        volatile boolean pubsub;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread accept = new Thread(this::accept, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections opened from now on show what their client sends to an observer of their own (one per link). */
    public void observeClientBytes(Supplier<BytesObserver> perConnection) {
        this.observers = perConnection;
    }

    /** Every connection open now stops carrying bytes (both directions); none is closed. */
    public void silenceOpenLinks() {
        for (Link l : links) {
            l.silent = true;
        }
    }

    /**
     * Every connection, open now or opened later, stops carrying bytes in {@code directions} (both when none is
     * given); nothing is dropped or closed, until {@link #thaw()}.
     */
    public void freeze(Direction... directions) {
        frozenPubSubOnly = false;
        frozen = directions.length == 0 ? java.util.EnumSet.allOf(Direction.class) : java.util.Set.of(directions);
    }

    /** As {@link #freeze}, for the connections that subscribed to pub/sub only. */
    public void freezePubSub(Direction... directions) {
        frozenPubSubOnly = true;
        frozen = directions.length == 0 ? java.util.EnumSet.allOf(Direction.class) : java.util.Set.of(directions);
    }

    /** Bytes flow again both ways; what was held is delivered first. */
    public void thaw() {
        frozen = java.util.Set.of();
    }

    private boolean held(Link link, Direction d) {
        return frozen.contains(d) && (!frozenPubSubOnly || link.pubsub);
    }

    /** Closes every connection open now and closes new ones as they arrive, until {@link #restore()}. */
    public void cut() {
        refusing = true;
        for (Link l : links) {
            closeQuietly(l.client);
            closeQuietly(l.upstream);
        }
    }

    /** New connections are carried again. */
    public void restore() {
        refusing = false;
    }

    /** Connections currently carrying bytes. */
    public long liveLinks() {
        return links.stream().filter(l -> !l.silent && !l.client.isClosed()).count();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, upstream);
                links.add(link);
                Supplier<BytesObserver> watch = observers;
                pump(link, client, upstream, Direction.TO_SERVER, watch == null ? null : watch.get());
                pump(link, upstream, client, Direction.TO_CLIENT, null);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Link link, Socket from, Socket to, Direction direction, BytesObserver observer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (direction == Direction.TO_SERVER && !link.pubsub && new String(buf, 0, n,
                            java.nio.charset.StandardCharsets.ISO_8859_1).contains("SUBSCRIBE")) {
                        link.pubsub = true;
                    }
                    while (held(link, direction) && !closed) {
                        Thread.sleep(5); // not reading: the bytes wait in the sockets' buffers, as on a frozen path
                    }
                    if (!link.silent) {
                        if (observer != null) {
                            observer.accept(buf, n);
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // one side went away: close both below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!link.silent) {
                closeQuietly(from);
                closeQuietly(to);
                links.remove(link);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly2(server);
        for (Link l : links) {
            closeQuietly(l.client);
            closeQuietly(l.upstream);
        }
    }

    private static void closeQuietly2(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
