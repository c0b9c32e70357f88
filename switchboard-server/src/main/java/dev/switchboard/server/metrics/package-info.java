/**
 * Prometheus metrics (Micrometer) fed by engine events and the HTTP API's answers, and {@code GET /metrics}
 * ({@link dev.switchboard.server.metrics.MetricsEndpoint}, the edge's HTTP port: on the metrics listener, and on the
 * client port behind the metrics token).
 */
package dev.switchboard.server.metrics;
