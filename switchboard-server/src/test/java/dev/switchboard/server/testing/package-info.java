/**
 * Support for integration tests: a node started on a free port per test class ({@link
 * dev.switchboard.server.testing.SwitchboardExtension}), the official Java client with its events recorded,
 * the app-side auth endpoints computed with the official HTTP SDK, a bare WebSocket for exact frames, and a
 * pipelining one ({@link dev.switchboard.server.testing.PipeliningSocket}) that floods without waiting for answers.
 * Without a network: a recording socket for engine and API tests, the signed client messages they send, and
 * the default app with settings changed by name. The history checkers ({@link
 * dev.switchboard.server.testing.PresenceHistory}, {@link dev.switchboard.server.testing.WebhookHistory}) check what
 * every client and webhook receiver saw over a whole run.
 * Only {@link dev.switchboard.server.testing.ServerUnderTest} names the server's wiring class.
 */
package dev.switchboard.server.testing;
