/** The Pusher HTTP API (PROTOCOL.md §6) and Switchboard's user data API: request verification and one handler per endpoint. */
package dev.switchboard.server.api;
