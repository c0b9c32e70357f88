package dev.switchboard.server.engine;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ServerMessage;
import dev.switchboard.server.config.AllowedOrigins;
import dev.switchboard.server.config.AppConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;

/**
 * The edge's sessions over the engine: the app looked up by key, the upgrade's Origin checked against the app's
 * allowed_origins, then the connection opened. A socket whose app is cached connects at once, as before; one whose
 * app must first be read from the database gets a session that waits for the registry (never on the event
 * loop) and then connects on the socket's own thread, or closes it 4001 (unknown), 4003 (disabled) or 4100
 * (look-ups over capacity, or the client's address over its allowance of database look-ups).
 */
public final class EngineSessions implements Sessions {
    private static final Frame NOT_YET = Frame.of(ServerMessage.Error.plain(
            "Wait for pusher:connection_established before sending"));

    private final Engine engine;
    private final EngineListener listener;
    /** Parsed allowed_origins by the app's list, so a connection costs a map look-up, not a parse. */
    private final Map<List<String>, AllowedOrigins> origins = new ConcurrentHashMap<>();
    private Runnable originRefused = () -> {};

    public EngineSessions(Engine engine, EngineListener listener) {
        this.engine = engine;
        this.listener = listener;
    }

    /** Told of every upgrade refused for its Origin (the edge counts them); set before the edge starts. */
    public void onOriginRefused(Runnable counter) {
        this.originRefused = counter;
    }

    @Override
    public Session open(String appKey, String origin, String clientAddress, Peer peer) {
        CompletableFuture<AppEngine> app = engine.resolveByKey(appKey, clientAddress);
        if (app.isDone()) {
            return settle(app, appKey, origin, peer, null);
        }
        Pending pending = new Pending(peer);
        app.whenComplete((a, failure) -> peer.executor().execute(() -> {
            if (!pending.closed) {
                settle(app, appKey, origin, peer, pending);
            }
        }));
        return pending;
    }

    /** On the peer's thread, with the look-up done: connect, or close the socket saying why. */
    private Session settle(CompletableFuture<AppEngine> lookup, String appKey, String origin, Peer peer,
                           Pending pending) {
        AppEngine app;
        try {
            app = lookup.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AppLookup.Overloaded) {
                peer.close(CloseCode.OVER_CAPACITY, CloseCode.OVER_CAPACITY.text());
                return null;
            }
            if (e.getCause() instanceof AppLookup.TooManyLookups limited) {
                // 4100, not 4001: the key may well exist; pusher-js backs off and tries again.
                peer.close(CloseCode.OVER_CAPACITY, limited.getMessage());
                return null;
            }
            throw e;
        }
        if (app != null && !originAllowed(app.config(), origin)) {
            // Before the engine connects the socket: a browser on another site touches no app state. 4009 as
            // soketi and Sockudo send it; pusher-js does not retry it.
            originRefused.run();
            peer.close(CloseCode.UNAUTHORIZED, "Origin not allowed");
            return null;
        }
        Connection c = engine.connect(app, appKey, peer);
        if (c == null) {
            return null;
        }
        Session s = new Live(c, listener);
        if (pending != null) {
            pending.live = s;
        }
        return s;
    }

    private boolean originAllowed(AppConfig app, String origin) {
        List<String> allowed = app.allowedOrigins();
        return allowed.isEmpty() || origins.computeIfAbsent(allowed, AllowedOrigins::of).allows(origin);
    }

    private static final class Live implements Session {
        private final Connection c;
        private final EngineListener listener;

        Live(Connection c, EngineListener listener) {
            this.c = c;
            this.listener = listener;
        }

        @Override
        public void onText(String text) {
            c.onText(text);
        }

        @Override
        public void onClose() {
            c.onClose();
        }

        @Override
        public void onSlowConsumer() {
            listener.on(new EngineEvent.SlowConsumerClosed(c.app().config()));
        }
    }

    /**
     * A socket whose app is being looked up. Everything runs on the peer's thread. A client that does not wait
     * for connection_established, as the protocol asks, is told so rather than silently ignored.
     */
    private static final class Pending implements Session {
        private final Peer peer;
        Session live;
        boolean closed;

        Pending(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void onText(String text) {
            if (live != null) {
                live.onText(text);
            } else {
                peer.send(NOT_YET);
            }
        }

        @Override
        public void onClose() {
            closed = true;
            if (live != null) {
                live.onClose();
            }
        }

        @Override
        public void onSlowConsumer() {
            if (live != null) {
                live.onSlowConsumer();
            }
        }
    }
}
