/**
 * One running node ({@link dev.switchboard.server.Switchboard}): wires the configuration, the cluster
 * adapter, the engine, the HTTP API, the dashboard, webhooks, metrics and the Netty edge (the API, the dashboard and
 * metrics as rows of the edge's route table, the engine's sessions as the edge's WebSocket port), and shuts them down
 * in order; {@code StartupLog} tells the operator what started. Nothing here decides how a request is answered.
 */
package dev.switchboard.server;
