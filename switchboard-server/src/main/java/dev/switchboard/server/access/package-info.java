/**
 * Who may open an operator's endpoint: the bearer token of the dashboard and of {@code /metrics} on the client
 * port, compared in constant time.
 */
package dev.switchboard.server.access;
