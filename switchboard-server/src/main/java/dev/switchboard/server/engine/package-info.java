/**
 * Apps, connections, channels, presence rosters, cache, client events, users and watchlists. No Netty:
 * sockets are {@link dev.switchboard.server.engine.Peer}s, other nodes are behind the cluster adapter.
 */
package dev.switchboard.server.engine;
