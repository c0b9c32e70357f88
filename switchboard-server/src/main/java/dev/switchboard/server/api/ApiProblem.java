package dev.switchboard.server.api;

/**
 * A request the API refuses, with its status. Thrown by parsers and handlers and turned into
 * {@code {"error":"…"}} at the one boundary, {@link HttpApi#handle}. Carries no stack trace: it is an answer,
 * not a fault.
 */
final class ApiProblem extends RuntimeException {
    private final int status;
    /** Seconds for {@code Retry-After}; 0 for none. */
    private final long retryAfterSeconds;

    ApiProblem(int status, String message) {
        this(status, message, 0);
    }

    private ApiProblem(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiProblem tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiProblem(429, message, retryAfterSeconds);
    }

    static ApiProblem badRequest(String message) {
        return new ApiProblem(400, message);
    }

    static ApiProblem unauthorized(String message) {
        return new ApiProblem(401, message);
    }

    static ApiProblem notFound(String message) {
        return new ApiProblem(404, message);
    }

    static ApiProblem tooLarge(String message) {
        return new ApiProblem(413, message);
    }

    int status() {
        return status;
    }

    ApiResponse toResponse() {
        ApiResponse r = ApiResponse.error(status, getMessage());
        return retryAfterSeconds > 0 ? r.withHeader("Retry-After", Long.toString(retryAfterSeconds)) : r;
    }
}
