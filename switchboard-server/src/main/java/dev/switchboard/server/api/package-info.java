/**
 * The Pusher HTTP API (PROTOCOL.md §6) and Switchboard's user data API (docs/http-api.md): {@link
 * dev.switchboard.server.api.HttpApi} routes and is the one error boundary, {@code RequestVerifier} checks the
 * auth_version 1.0 signature, {@code TriggerParser} validates events without touching the engine, and one
 * {@code *Endpoint} class per endpoint talks to the engine.
 */
package dev.switchboard.server.api;
