package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A socket for engine tests: a real single-threaded executor standing in for the event loop, recording
 * every frame it is given and the close it is asked for. Closing reports back to the connection, as the
 * edge does.
 */
final class RecordingPeer implements Peer {
    final ScheduledExecutorService executor;
    final List<String> frames = new CopyOnWriteArrayList<>();
    volatile CloseCode closedWith;
    volatile Connection connection;

    RecordingPeer(ScheduledExecutorService executor) {
        this.executor = executor;
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
    public void flush() {}

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

    @Override
    public String remoteAddress() {
        return "test";
    }

    boolean received(String fragment) {
        for (String f : frames) {
            if (f.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    long count(String fragment) {
        return frames.stream().filter(f -> f.contains(fragment)).count();
    }
}
