package dev.switchboard.server.testing;

import static org.awaitility.Awaitility.await;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.server.engine.Connection;
import dev.switchboard.server.engine.Frame;
import dev.switchboard.server.engine.Peer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A socket for engine and API tests, no network: a real single-threaded executor stands in for the event
 * loop; every frame it is given and the close it is asked for are recorded. Closing writes the
 * {@code pusher:error} the edge sends before its close frame, then reports back to the connection, as the
 * edge does.
 */
public class RecordingPeer implements Peer {
    public final ScheduledExecutorService executor;
    public final List<String> frames = new CopyOnWriteArrayList<>();
    /** How often a lane touched and flushed this peer (fan-out's flush pass). */
    public final java.util.concurrent.atomic.AtomicInteger touches = new java.util.concurrent.atomic.AtomicInteger();
    public final java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
    public volatile CloseCode closedWith;
    public volatile Connection connection;

    public RecordingPeer(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Runs {@code task} on this socket's loop, as the edge runs every client message, and waits for it. */
    public <T> T on(Callable<T> task) {
        try {
            return executor.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Hands {@code json} to the connection as a text frame from the client, on this socket's loop. */
    public void receive(String json) {
        on(() -> {
            connection.onText(json);
            return null;
        });
    }

    @Override
    public ScheduledExecutorService executor() {
        return executor;
    }

    @Override
    public void write(Frame frame) {
        frames.add(new String(frame.bytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    @Override
    public int touch() {
        return touches.incrementAndGet();
    }

    @Override
    public void send(Frame frame) {
        write(frame);
    }

    @Override
    public void close(CloseCode code, String message) {
        if (closedWith != null) {
            return;
        }
        frames.add("{\"event\":\"pusher:error\",\"data\":{\"code\":" + code.code() + ",\"message\":\"" + message + "\"}}");
        closedWith = code;
        executor.execute(() -> {
            if (connection != null) {
                connection.onClose();
            }
        });
    }

    /** Whether the engine has asked the socket to stop reading (back-pressure), and how often it did. */
    public volatile boolean readsPaused;
    public final java.util.concurrent.atomic.AtomicInteger pauses = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void pauseReads(boolean paused) {
        if (paused && !readsPaused) {
            pauses.incrementAndGet();
        }
        readsPaused = paused;
    }

    @Override
    public String remoteAddress() {
        return "test";
    }

    public boolean received(String fragment) {
        for (String f : frames) {
            if (f.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    public long count(String fragment) {
        return frames.stream().filter(f -> f.contains(fragment)).count();
    }

    public void awaitFrame(String fragment) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> received(fragment));
    }
}
