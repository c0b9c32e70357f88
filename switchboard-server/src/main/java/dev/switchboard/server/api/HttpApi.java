package dev.switchboard.server.api;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.engine.Engine;

/** Routes {@code /apps/{app_id}/…} requests to one handler per endpoint, after verifying the signature. */
public final class HttpApi {
    private final Engine engine;
    private final ServerConfig config;

    public HttpApi(Engine engine, ServerConfig config) {
        this.engine = engine;
        this.config = config;
    }

    /** Never throws: every problem is a 4xx with a JSON body. Runs on an event loop and never blocks. */
    public ApiResponse handle(ApiRequest request) {
        return ApiResponse.error(404, "Not found");
    }
}
