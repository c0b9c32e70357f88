/**
 * The Netty edge: one port for WebSocket and HTTP, the upgrade and its Pusher close codes
 * (PROTOCOL.md §1.1, §1.6), the {@link dev.switchboard.server.engine.Peer} over a Netty channel, liveness
 * pings (§1.3), the bounds before the upgrade (caps at accept, {@link dev.switchboard.server.edge.HttpConnections};
 * deadlines, {@link dev.switchboard.server.edge.HttpGuard}), HTTP routing to the API, health and metrics, and
 * graceful draining. No protocol state lives
 * here: every text frame goes to the engine's {@link dev.switchboard.server.engine.Connection}.
 */
package dev.switchboard.server.edge;
