package dev.switchboard.server.api;

/**
 * One HTTP API endpoint. Runs on an event loop after the request was verified: must not block; refuses bad
 * input by throwing {@link ApiProblem}.
 */
interface Endpoint {
    ApiResponse handle(ApiCall call);
}
