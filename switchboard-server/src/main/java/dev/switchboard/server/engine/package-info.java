/**
 * Apps, connections, channels, client events, users and watchlists, and the cluster seam they stand on: the
 * {@link dev.switchboard.server.engine.Broker} carries encoded frames to every interested node, the
 * {@link dev.switchboard.server.engine.SharedState} decides every cluster-visible transition once. No Netty:
 * sockets are {@link dev.switchboard.server.engine.Peer}s.
 */
package dev.switchboard.server.engine;
