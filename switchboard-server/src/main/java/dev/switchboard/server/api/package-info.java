/**
 * The Pusher HTTP API (PROTOCOL.md §6) and Switchboard's user data API (docs/http-api.md), the edge's HTTP port
 * under {@code /apps/}: {@link dev.switchboard.server.api.HttpApi} resolves the request's app, routes, counts each
 * answer by app and status, and is the one error boundary; {@code RequestTarget} decodes the target the edge split
 * once, {@code RequestVerifier} checks the auth_version 1.0 signature, {@code TriggerParser} validates events without
 * touching the engine, and one {@code *Endpoint} class per endpoint talks to the engine. {@code ApiRequest} and
 * {@code ApiResponse} are the API's own terms, for a request given whole (tests, tools) and for its endpoints.
 */
package dev.switchboard.server.api;
