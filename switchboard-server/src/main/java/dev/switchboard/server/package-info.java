/**
 * One running node ({@link dev.switchboard.server.Switchboard}): wires the configuration, the cluster
 * adapter, the engine, the HTTP API, webhooks, metrics and the Netty edge, and shuts them down in order.
 */
package dev.switchboard.server;
