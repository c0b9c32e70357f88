package dev.switchboard.server.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One HTTP API endpoint. Runs on an event loop after the request was verified: must not block; refuses bad
 * input by throwing {@link ApiProblem} (at once, or as the failure of the answer's stage).
 */
interface Endpoint {
    /** Validation problems may be thrown at once; answers that need the shared state complete later. */
    CompletionStage<ApiResponse> handle(ApiCall call);

    static CompletionStage<ApiResponse> now(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
