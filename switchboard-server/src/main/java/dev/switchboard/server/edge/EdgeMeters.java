package dev.switchboard.server.edge;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/** Exposes {@link EdgeCounters} as Prometheus counters (read at scrape time; nothing added to the hot path). */
public final class EdgeMeters {
    private EdgeMeters() {}

    public static void register(MeterRegistry registry, EdgeCounters c) {
        counter(registry, "switchboard_edge_upgrades_refused", "WebSocket upgrades closed with a 40xx code before the engine (bad path, protocol, version, origin)", c.upgradesRefused);
        counter(registry, "switchboard_edge_origins_refused", "WebSocket upgrades closed with 4009 because the Origin is not in the app's allowed_origins", c.originsRefused);
        counter(registry, "switchboard_edge_slow_consumers_closed", "Sockets closed with 4101 because their write buffer stayed over the high water mark", c.slowConsumerClosed);
        counter(registry, "switchboard_edge_frames_dropped", "Frames not written because the socket was closing, closed or over its write buffer", c.framesDroppedAfterClose);
        counter(registry, "switchboard_edge_binary_frames_rejected", "Binary WebSocket frames answered with a pusher:error", c.binaryFramesRejected);
        counter(registry, "switchboard_edge_oversize_frames_closed", "Sockets closed with 1009 for a message over max_frame_bytes", c.oversizeFramesClosed);
        counter(registry, "switchboard_edge_invalid_utf8_closed", "Sockets closed with 1007 for a text message that is not valid UTF-8", c.invalidUtf8Closed);
        counter(registry, "switchboard_edge_pings_sent", "WebSocket ping control frames sent to silent sockets", c.pingsSent);
        counter(registry, "switchboard_edge_pong_timeouts", "Sockets closed with 4201 after an unanswered ping", c.pongTimeouts);
        counter(registry, "switchboard_edge_handler_errors", "Unexpected errors caught at the edge boundary", c.handlerErrors);
        counter(registry, "switchboard_edge_http_bad_requests", "Malformed HTTP requests answered 400", c.httpBadRequests);
        counter(registry, "switchboard_edge_connections_rate_limited", "WebSocket upgrades answered 429 by max_connections_per_ip_per_second", c.connectionsRateLimited);
        counter(registry, "switchboard_edge_over_capacity_closed", "WebSockets closed with 4100 by max_node_connections", c.overCapacityClosed);
        counter(registry, "switchboard_edge_tls_handshake_failures", "TLS handshakes that failed (not TLS, no common cipher, client refused our certificate)", c.tlsHandshakeFailures);
        counter(registry, "switchboard_edge_tls_reloads", "TLS certificates loaded again (SIGHUP or a changed file)", c.tlsReloads);
        counter(registry, "switchboard_edge_tls_reload_failures", "TLS certificate reloads that failed; the previous certificate stays in use", c.tlsReloadFailures);
        counter(registry, "switchboard_edge_reads_paused", "Times a WebSocket stopped being read because it had pending_changes_high_water_mark state changes waiting (back-pressure)", c.readsPaused);
        tagged(registry, "switchboard_edge_http_timeouts", "Connections before the upgrade closed by a deadline: head (http_head_timeout_seconds), body (http_body_timeout_seconds), body_rate (http_body_min_bytes_per_second), idle (http_idle_timeout_seconds)", "kind", "head", c.httpTimeoutHead);
        tagged(registry, "switchboard_edge_http_timeouts", "", "kind", "body", c.httpTimeoutBody);
        tagged(registry, "switchboard_edge_http_timeouts", "", "kind", "body_rate", c.httpTimeoutBodyRate);
        tagged(registry, "switchboard_edge_http_timeouts", "", "kind", "idle", c.httpTimeoutIdle);
        tagged(registry, "switchboard_edge_http_connections_refused", "Connections closed at accept: node (max_http_connections) or ip (max_http_connections_per_ip)", "scope", "node", c.httpRefusedNode);
        tagged(registry, "switchboard_edge_http_connections_refused", "", "scope", "ip", c.httpRefusedAddress);
        counter(registry, "switchboard_edge_http_too_large", "HTTP requests answered 413 for a body over max_http_body_bytes", c.httpTooLarge);
    }

    private static void tagged(MeterRegistry r, String name, String help, String tag, String value, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).tag(tag, value).register(r);
    }

    private static void counter(MeterRegistry r, String name, String help, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).register(r);
    }
}
