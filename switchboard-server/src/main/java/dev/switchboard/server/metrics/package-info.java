/** Prometheus metrics (Micrometer) fed by engine events and the HTTP API. */
package dev.switchboard.server.metrics;
