/**
 * Integration tests: the real server on a free port, driven by unmodified official clients
 * (pusher-websocket-java 2.4.4, pusher-http-java 1.3.4) and, where they hide the wire, a bare WebSocket.
 */
package dev.switchboard.server.it;
