/**
 * Rate limiting shared by the edge (new connections per client address) and the HTTP API (requests per app):
 * a token bucket and a set of them keyed by address. No Netty, no protocol: callers decide what a refusal
 * looks like on the wire.
 */
package dev.switchboard.server.limits;
