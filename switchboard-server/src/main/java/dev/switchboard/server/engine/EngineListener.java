package dev.switchboard.server.engine;

import dev.switchboard.server.config.AppConfig;

/**
 * What happens in the engine, for webhooks, metrics and the dashboard. Called on event-loop threads:
 * implementations must return at once (queue, count) and never block or throw.
 */
public interface EngineListener {
    EngineListener NONE = new EngineListener() {
        @Override
        public void on(EngineEvent event) {}
    };

    /** Every event but the per-delivery one; a listener picks those it wants. */
    void on(EngineEvent event);

    /**
     * One frame of {@code bytes} bytes handed to {@code recipients} sockets: once per fan-out task, so a method, not
     * an {@link EngineEvent}, and nothing is allocated for it.
     */
    default void delivered(AppConfig app, int recipients, int bytes) {}

    /** One listener that tells several, in order. */
    static EngineListener of(EngineListener... listeners) {
        EngineListener[] all = listeners.clone();
        return new EngineListener() {
            @Override
            public void on(EngineEvent event) {
                for (EngineListener l : all) {
                    l.on(event);
                }
            }

            @Override
            public void delivered(AppConfig app, int recipients, int bytes) {
                for (EngineListener l : all) {
                    l.delivered(app, recipients, bytes);
                }
            }
        };
    }
}
